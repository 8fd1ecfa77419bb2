import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { WireReader } from '@pier/wire';

export interface ParsedPublicKey {
  type: string;
  /** The key's wire blob: type string followed by the key fields. */
  blob: Buffer;
  /** Where the key fields start in the blob (after the type string). */
  fieldsOffset: number;
  certificateType: string;
  description: string;
}

const curves: Record<string, { crv: 'P-256' | 'P-384' | 'P-521'; size: number }> = {
  'ecdsa-sha2-nistp256': { crv: 'P-256', size: 32 },
  'ecdsa-sha2-nistp384': { crv: 'P-384', size: 48 },
  'ecdsa-sha2-nistp521': { crv: 'P-521', size: 66 },
};

export const MIN_RSA_BITS = 3072;

export class PublicKeyError extends Error {}

/**
 * Parses and checks an OpenSSH public key line (`ssh-ed25519 AAAA… comment`): Ed25519, ECDSA
 * (P-256/384/521) or RSA of at least 3072 bits. The key material is loaded with node:crypto, so
 * a key that is not a valid point or modulus is refused.
 */
export function parsePublicKeyLine(line: string): ParsedPublicKey {
  const [type, data] = line.trim().split(/\s+/);
  if (!type || !data) throw new PublicKeyError('Expected an OpenSSH public key line such as "ssh-ed25519 AAAA… comment".');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new PublicKeyError('The key data is not base64.');
  const blob = Buffer.from(data, 'base64');
  const reader = new WireReader(blob);
  let blobType: string;
  try {
    blobType = reader.text();
  } catch {
    throw new PublicKeyError('The key data is truncated.');
  }
  if (blobType !== type) throw new PublicKeyError(`The key says "${type}" but its data is "${blobType}".`);
  const fieldsOffset = reader.position;
  try {
    const description = checkKeyMaterial(type, reader);
    if (!reader.done) throw new PublicKeyError('The key data has trailing bytes.');
    return { type, blob, fieldsOffset, certificateType: `${type}-cert-v01@openssh.com`, description };
  } catch (error) {
    if (error instanceof PublicKeyError) throw error;
    throw new PublicKeyError(`The ${type} key is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkKeyMaterial(type: string, reader: WireReader): string {
  if (type === 'ssh-ed25519') {
    const key = reader.string();
    if (key.length !== 32) throw new PublicKeyError('An Ed25519 key has 32 bytes.');
    load({ kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') });
    return 'ED25519';
  }
  const curve = curves[type];
  if (curve) {
    const name = reader.text();
    if (`ecdsa-sha2-${name}` !== type) throw new PublicKeyError(`The curve ${name} does not match ${type}.`);
    const point = reader.string();
    if (point.length !== 1 + 2 * curve.size || point[0] !== 4) throw new PublicKeyError('Only uncompressed ECDSA points are supported.');
    load({ kty: 'EC', crv: curve.crv, x: point.subarray(1, 1 + curve.size).toString('base64url'), y: point.subarray(1 + curve.size).toString('base64url') });
    return `ECDSA ${curve.crv}`;
  }
  if (type === 'ssh-rsa') {
    const e = stripSign(reader.string());
    const n = stripSign(reader.string());
    const bits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
    if (bits < MIN_RSA_BITS) throw new PublicKeyError(`RSA keys need at least ${MIN_RSA_BITS} bits (this one has ${bits}).`);
    load({ kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') });
    return `RSA ${bits}`;
  }
  throw new PublicKeyError(`Unsupported key type "${type}". Use Ed25519, ECDSA or RSA (≥ ${MIN_RSA_BITS} bits).`);
}

function stripSign(mpint: Buffer): Buffer {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start++;
  return mpint.subarray(start);
}

function load(jwk: JsonWebKey): void {
  createPublicKey({ key: jwk, format: 'jwk' });
}
