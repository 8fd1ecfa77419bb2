import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createAuthenticatedClient, expectData } from '../api-client.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { readFileIfExists, writePrivateFile } from '../private-files.js';
import { CertificateFormatError, EXPIRY_BUFFER_SECONDS, parseCertificate, publicKeyBlob, type SshCertificate } from './certificate.js';
import { writeRefreshScript } from './refresh-script.js';
import { withSshLock, type SshFiles } from './ssh-files.js';

/** Whom the certificate must belong to: the user and API token of the current credentials. */
export interface CertificateOwner {
  userId: string;
  apiTokenId: string | null;
}

export interface LoadedCertificate {
  certificate: SshCertificate;
  /** False when an existing valid certificate was reused (here or by a concurrent process). */
  generated: boolean;
}

export interface CertificateRequest {
  /** --new: a new certificate even if the current one is valid. */
  newCertificate?: boolean;
  /** --new-key: a new key pair as well. */
  newKey?: boolean;
  /** Called once it is known that a certificate will be requested. */
  onGenerate?: () => void;
}

/** The owner of the access token in use, read from its claims (no request once cached). */
export async function currentOwner(ctx: Context): Promise<CertificateOwner> {
  const session = ctx.authSession();
  await session.accessToken();
  const userId = session.entry?.user_id;
  if (!userId) throw new CliError('generic', 'The access token names no user; cannot request an SSH certificate.');
  return { userId, apiTokenId: session.entry?.api_token_id ?? null };
}

/**
 * The certificate on disk if it is usable for `owner`: readable, not expiring within the buffer,
 * issued to this user (KeyId) for this API token, and certifying the key pair beside it — a
 * certificate left by other credentials or for another key would only fail at the gateway.
 */
export function usableCertificate(files: SshFiles, owner: CertificateOwner, now = Date.now()): SshCertificate | undefined {
  const line = readFileIfExists(files.certificate);
  const publicKey = readFileIfExists(files.publicKey);
  if (!line || !publicKey || !fs.existsSync(files.key)) return undefined;
  let certificate: SshCertificate;
  try {
    certificate = parseCertificate(line);
  } catch (error) {
    if (error instanceof CertificateFormatError) return undefined;
    throw error;
  }
  if (certificate.validBefore - EXPIRY_BUFFER_SECONDS <= now / 1000) return undefined;
  if (certificate.keyId !== owner.userId) return undefined;
  const tokenId = certificate.extensions['api-token-id@pier'];
  if (owner.apiTokenId && tokenId !== undefined && tokenId !== owner.apiTokenId) return undefined;
  if (certificate.publicKeyBlob !== publicKeyBlob(publicKey)) return undefined;
  return certificate;
}

/** A usable certificate, requesting one under the SSH lock when needed. */
export async function ensureCertificate(ctx: Context, files: SshFiles, request: CertificateRequest = {}): Promise<LoadedCertificate> {
  const owner = await currentOwner(ctx);
  const before = readFileIfExists(files.certificate);
  if (!request.newCertificate && !request.newKey) {
    const existing = usableCertificate(files, owner);
    if (existing) return { certificate: existing, generated: false };
  }
  return withSshLock(ctx, files, () => ensureCertificateLocked(ctx, files, owner, request, before));
}

/**
 * The part that runs under the lock. A process that waited for the lock adopts a usable
 * certificate another process wrote meanwhile, even with --new: that one is new too.
 */
export async function ensureCertificateLocked(
  ctx: Context,
  files: SshFiles,
  owner: CertificateOwner,
  request: CertificateRequest,
  before: string | undefined,
): Promise<LoadedCertificate> {
  const existing = usableCertificate(files, owner);
  const replacedMeanwhile = readFileIfExists(files.certificate) !== before;
  if (existing && (replacedMeanwhile || (!request.newCertificate && !request.newKey))) return { certificate: existing, generated: false };
  request.onGenerate?.();

  // A new key pair is made under temporary names and moved into place just before its
  // certificate, so an ssh reading the files meanwhile sees the old pair or the new one.
  const reuseKey = !request.newKey && fs.existsSync(files.key) && fs.existsSync(files.publicKey);
  const keyFile = reuseKey ? files.key : `${files.key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (!reuseKey) await generateKeyPair(ctx, keyFile);
    const publicKey = fs.readFileSync(`${keyFile}.pub`, 'utf8');
    const certificateLine = await requestCertificate(ctx, publicKey);
    const certificate = parseCertificate(certificateLine);
    if (!reuseKey) {
      fs.renameSync(keyFile, files.key);
      fs.renameSync(`${keyFile}.pub`, files.publicKey);
    }
    writePrivateFile(files.certificate, `${certificateLine.trim()}\n`);
    writeRefreshScript(ctx, files, certificate);
    return { certificate, generated: true };
  } finally {
    if (!reuseKey) for (const file of [keyFile, `${keyFile}.pub`]) fs.rmSync(file, { force: true });
  }
}

/** `POST /ssh {key}` on the auth server, as the Platform.sh CLI's certifier. */
async function requestCertificate(ctx: Context, publicKey: string): Promise<string> {
  const client = createAuthenticatedClient(ctx.authSession(), ctx.config.authUrl, ctx.transport);
  const result = await client.POST('/ssh', { body: { key: publicKey } });
  return expectData(result, ctx.loginHelp()).certificate;
}

function generateKeyPair(ctx: Context, file: string): Promise<void> {
  const comment = `${ctx.profile.command}-temporary-cert`;
  return new Promise((resolve, reject) => {
    execFile('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { timeout: 60_000 }, (error, _stdout, stderr) => {
      if (!error) {
        fs.chmodSync(file, 0o600);
        fs.chmodSync(`${file}.pub`, 0o600);
        resolve();
        return;
      }
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new CliError('generic', missing ? 'ssh-keygen was not found: install the OpenSSH client.' : `ssh-keygen failed: ${stderr.trim() || error.message}`));
    });
  });
}
