import type { Services } from '../services.js';
import { isoNow } from '../db/time.js';
import type { Actor } from '../audit/audit-log.js';
import { readCertificate, type CertificateInfo } from './certificates.js';
import { parseTokenScope, type TokenScope, type TokenScopeBody } from '../access/token-scope.js';

/** Certificate extensions Pier signs into user certificates besides OpenSSH's own. */
export const CERTIFICATE_EXTENSIONS = {
  authMethod: 'auth-method@pier',
  apiTokenId: 'api-token-id@pier',
  /** When the certificate was issued (ms): a later deactivation or rotation cuts it. */
  issuedAt: 'issued-at@pier',
  /** The credential's scope (TokenScope wire form, JSON): SSH and pushes stay within it. */
  scope: 'scope@pier',
} as const;

/** Who an SSH session or push acts as, and the limit its credential carried. */
export type SshIdentity = Actor & { userId: string; scope: TokenScope | null };

/** What identifying a certificate's owner reads: users, API tokens, and the revocations in memory. */
export type IdentityServices = Pick<Services, 'users' | 'apiTokens' | 'revocations'>;

/** The gateway refuses a login or a command; the message is shown to the SSH user. */
export class SshRefused extends Error {}

/**
 * The actor behind a user id and (optional) API token id, as the audit trail records it. With
 * `mustBeUsable`, an inactive user or a revoked or expired token is refused.
 */
export async function actorFor(services: IdentityServices, userId: string, tokenId: string | null, options: { mustBeUsable: boolean; clientIp: string | null }): Promise<Actor> {
  const user = await services.users.findById(userId);
  if (!user || (options.mustBeUsable && user.deactivated === 1)) throw new SshRefused('This certificate belongs to no active user.');
  const token = tokenId ? await services.apiTokens.findById(tokenId) : undefined;
  if (tokenId && options.mustBeUsable && (!token || token.revoked_at !== null || (token.expires_at !== null && token.expires_at <= isoNow()))) {
    throw new SshRefused('The API token this certificate was issued for has been revoked or has expired.');
  }
  return { userId: user.id, email: user.email, authMethod: tokenId ? 'api_token' : 'session', apiTokenId: tokenId, apiTokenName: token?.name ?? null, clientIp: options.clientIp };
}

/**
 * Who a certificate (already verified by sshd against the CA) belongs to, if they may still log in:
 * not when a deactivation or the rotation of its API token came after it was issued.
 */
export async function identify(services: IdentityServices, certificate: CertificateInfo, clientIp: string | null): Promise<SshIdentity> {
  const tokenId = certificate.extensions[CERTIFICATE_EXTENSIONS.apiTokenId] ?? null;
  const issuedAt = Number(certificate.extensions[CERTIFICATE_EXTENSIONS.issuedAt] ?? certificate.validAfter * 1000);
  const { revocations } = services;
  if (revocations.isIssuedBeforeDeactivation(certificate.keyId, issuedAt) || (tokenId && revocations.isSecretRetired(tokenId, issuedAt))) {
    throw new SshRefused('This certificate was issued before its credential was cut off; load a new one.');
  }
  const actor = await actorFor(services, certificate.keyId, tokenId, { mustBeUsable: true, clientIp });
  const scopeText = certificate.extensions[CERTIFICATE_EXTENSIONS.scope];
  return { ...actor, userId: certificate.keyId, scope: scopeText ? parseTokenScope(JSON.parse(scopeText) as TokenScopeBody) : null };
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
