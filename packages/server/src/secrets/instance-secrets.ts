import fs from 'node:fs';
import path from 'node:path';
import { hkdfSync, randomBytes } from 'node:crypto';

export interface InstanceSecrets {
  /** Key for HMAC-SHA-256 of API tokens and session ids. */
  readonly tokenHmacKey: Buffer;
  /** AES-256-GCM key for data encrypted at rest (signing keys, sensitive values). */
  readonly encryptionKey: Buffer;
}

const SECRET_FILE = 'instance-secret';

/**
 * One master secret per installation: `PIER_SECRETS_KEY` when set (several nodes share it),
 * else a random one generated into the data directory at first start. Purpose keys are derived
 * from it with HKDF so no key is ever used for two things.
 */
export function loadInstanceSecrets(dataDir: string, secretsKey: string | undefined): InstanceSecrets {
  const master = secretsKey ? Buffer.from(secretsKey, 'utf8') : readOrCreateMasterSecret(dataDir);
  return {
    tokenHmacKey: derive(master, 'pier token hmac v1'),
    encryptionKey: derive(master, 'pier encryption at rest v1'),
  };
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), purpose, 32));
}

function readOrCreateMasterSecret(dataDir: string): Buffer {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SECRET_FILE);
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  try {
    // 'wx' fails if another process created it first; then read theirs.
    fs.writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  }
}
