import path from 'node:path';
import type { Context } from '../context.js';
import { ensurePrivateDir } from '../private-files.js';

/**
 * Everything SSH-related lives in `<CLI home>/ssh/` (0700; files 0600 except the renewal script,
 * 0700): the key pair, its certificate, the gateway's known-hosts line, the SSH config that
 * `~/.ssh/config` includes, and the renewal script that config runs.
 */
export interface SshFiles {
  dir: string;
  key: string;
  publicKey: string;
  certificate: string;
  knownHosts: string;
  /** The include file: host aliases for the gateway and every environment. */
  config: string;
  /** Run by the include file's `Match exec`: renews the certificate shortly before it expires. */
  refreshScript: string;
  /** The gateway's address as the server last reported it, for commands that run ssh themselves. */
  gateway: string;
  /** proper-lockfile's target: the lock is the folder `<this>.lock`. */
  lockTarget: string;
}

export function sshFiles(homeDir: string): SshFiles {
  const dir = path.join(homeDir, 'ssh');
  const key = path.join(dir, 'id_ed25519');
  return {
    dir,
    key,
    publicKey: `${key}.pub`,
    certificate: `${key}-cert.pub`,
    knownHosts: path.join(dir, 'known_hosts'),
    config: path.join(dir, 'config'),
    refreshScript: path.join(dir, 'refresh'),
    gateway: path.join(dir, 'gateway.json'),
    lockTarget: path.join(dir, 'certificate'),
  };
}

/**
 * One cross-process lock for every write in the folder (as the access-token cache's): parallel
 * `ssh-cert:load` runs and renewals from concurrent ssh connections take turns, and each reads
 * the files again once it holds the lock, so only the first of them asks for a certificate.
 */
export async function withSshLock<T>(ctx: Context, files: SshFiles, action: () => Promise<T>): Promise<T> {
  ensurePrivateDir(files.dir);
  if (ctx.config.disableLocks) return action();
  const { lock } = await import('proper-lockfile');
  const release = await lock(files.lockTarget, {
    realpath: false,
    stale: 10_000,
    update: 2_000,
    retries: { retries: 400, factor: 1.3, minTimeout: 15, maxTimeout: 200 },
    onCompromised: () => undefined,
  }).catch((error: unknown) => {
    throw new Error(`Could not lock the SSH folder (${files.lockTarget}.lock): ${(error as Error).message}`);
  });
  try {
    return await action();
  } finally {
    await release().catch(() => undefined);
  }
}
