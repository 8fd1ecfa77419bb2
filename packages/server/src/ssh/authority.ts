import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { WireWriter } from '@pier/wire';
import type { CertificateAuthorityKey } from './certificates.js';

export interface CertificateAuthority extends CertificateAuthorityKey {
  /** `ssh-ed25519 AAAA… pier-ca`, for TrustedUserCAKeys and @cert-authority lines. */
  publicLine: string;
}

/** The Ed25519 CA key, created at first start in the data directory (0600). */
export function loadCertificateAuthority(dataDir: string, comment: string): CertificateAuthority {
  const dir = path.join(dataDir, 'ssh');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'ca_ed25519.pem');
  let privateKey: KeyObject;
  if (fs.existsSync(file)) {
    privateKey = createPrivateKey(fs.readFileSync(file));
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    try {
      fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      privateKey = createPrivateKey(fs.readFileSync(file));
    }
  }
  const x = createPublicKey(privateKey).export({ format: 'jwk' }).x;
  if (!x) throw new Error('The SSH CA key is not an Ed25519 key.');
  const publicBlob = new WireWriter().string('ssh-ed25519').string(Buffer.from(x, 'base64url')).toBuffer();
  return { privateKey, publicBlob, publicLine: `ssh-ed25519 ${publicBlob.toString('base64')} ${comment}` };
}
