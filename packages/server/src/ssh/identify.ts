import type { Services } from '../services.js';
import { isoNow } from '../db/time.js';
import type { Actor } from '../audit/audit-log.js';
import { readCertificate, type CertificateInfo } from './certificates.js';

/** The gateway refuses a login or a command; the message is shown to the SSH user. */
export class SshRefused extends Error {}

/**
 * The actor behind a user id and (optional) API token id, as the audit trail records it. With
 * `mustBeUsable`, an inactive user or a revoked or expired token is refused.
 */
export async function actorFor(services: Services, userId: string, tokenId: string | null, options: { mustBeUsable: boolean; clientIp: string | null }): Promise<Actor> {
  const user = await services.users.findById(userId);
  if (!user || (options.mustBeUsable && user.deactivated === 1)) throw new SshRefused('This certificate belongs to no active user.');
  const token = tokenId ? await services.apiTokens.findById(tokenId) : undefined;
  if (tokenId && options.mustBeUsable && (!token || token.revoked_at !== null || (token.expires_at !== null && token.expires_at <= isoNow()))) {
    throw new SshRefused('The API token this certificate was issued for has been revoked or has expired.');
  }
  return { userId: user.id, email: user.email, authMethod: tokenId ? 'api_token' : 'session', apiTokenId: tokenId, apiTokenName: token?.name ?? null, clientIp: options.clientIp };
}

/** Who a certificate (already verified by sshd against the CA) belongs to, if they may still log in. */
export function identify(services: Services, certificate: CertificateInfo, clientIp: string | null): Promise<Actor> {
  return actorFor(services, certificate.keyId, certificate.extensions['api-token-id@pier'] ?? null, { mustBeUsable: true, clientIp });
}

/** The certificate sshd accepted for this session, from the `ExposeAuthInfo` file's content. */
export function sessionCertificate(authInfo: string): CertificateInfo {
  const line = authInfo.split('\n').find((l) => l.startsWith('publickey ') && l.includes('-cert-v01@openssh.com'));
  if (!line) throw new SshRefused('Log in with an SSH certificate from this server (ssh-cert:load).');
  return parseCertificate(line.split(' ')[2] ?? '');
}

export function parseCertificate(base64: string): CertificateInfo {
  try {
    return readCertificate(Buffer.from(base64, 'base64'));
  } catch {
    throw new SshRefused('Not an SSH certificate.');
  }
}
