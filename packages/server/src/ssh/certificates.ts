import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { WireReader, WireWriter } from '@pier/wire';
import type { ParsedPublicKey } from './public-keys.js';

export const USER_CERTIFICATE = 1;
export const HOST_CERTIFICATE = 2;

export interface CertificateRequest {
  key: ParsedPublicKey;
  type: typeof USER_CERTIFICATE | typeof HOST_CERTIFICATE;
  keyId: string;
  principals: string[];
  validAfter: Date;
  validBefore: Date;
  /** Name → value; flag extensions (permit-pty …) have an empty value. */
  extensions: Record<string, string>;
  criticalOptions?: Record<string, string>;
  serial?: bigint;
}

export interface CertificateAuthorityKey {
  privateKey: KeyObject;
  /** The CA's public key blob (`ssh-ed25519` + 32 bytes). */
  publicBlob: Buffer;
}

/**
 * What a user certificate permits: a terminal, nothing else. No ~/.ssh/rc, no port, agent or X11
 * forwarding — the gateway offers none of them, and a certificate should not claim them either.
 */
export const permitExtensions = ['permit-pty'];

/**
 * Signs an OpenSSH certificate (PROTOCOL.certkeys) with an Ed25519 CA key using node:crypto —
 * `ssh-keygen -L` reads what this produces (see the tests).
 */
export function signCertificate(ca: CertificateAuthorityKey, request: CertificateRequest, comment: string): string {
  const body = new WireWriter()
    .string(request.key.certificateType)
    .string(randomBytes(32))
    .raw(request.key.blob.subarray(request.key.fieldsOffset))
    .uint64(request.serial ?? randomBytes(8).readBigUInt64BE())
    .uint32(request.type)
    .string(request.keyId)
    .string(packStrings(request.principals))
    .uint64(BigInt(Math.floor(request.validAfter.getTime() / 1000)))
    .uint64(BigInt(Math.floor(request.validBefore.getTime() / 1000)))
    .string(packOptions(request.criticalOptions ?? {}))
    .string(packOptions(request.extensions))
    .string(Buffer.alloc(0))
    .string(ca.publicBlob)
    .toBuffer();
  const signature = new WireWriter().string('ssh-ed25519').string(sign(null, body, ca.privateKey)).toBuffer();
  const certificate = new WireWriter().raw(body).string(signature).toBuffer();
  return `${request.key.certificateType} ${certificate.toString('base64')} ${comment.replace(/\s+/g, '-')}`;
}

function packStrings(values: string[]): Buffer {
  const writer = new WireWriter();
  for (const value of values) writer.string(value);
  return writer.toBuffer();
}

/** Options and extensions: sorted by name; a value is itself wrapped as a string, flags are empty. */
function packOptions(options: Record<string, string>): Buffer {
  const writer = new WireWriter();
  for (const name of Object.keys(options).sort()) {
    const value = options[name]!;
    writer.string(name).string(value === '' ? Buffer.alloc(0) : new WireWriter().string(value).toBuffer());
  }
  return writer.toBuffer();
}

export interface CertificateInfo {
  type: string;
  keyId: string;
  principals: string[];
  validAfter: number;
  validBefore: number;
  extensions: Record<string, string>;
}

/** Reads the fields of an OpenSSH certificate blob (signature checking is sshd's job). */
export function readCertificate(blob: Buffer): CertificateInfo {
  const reader = new WireReader(blob);
  const type = reader.text();
  reader.string(); // nonce
  const keyFieldCount = type.startsWith('ssh-ed25519') ? 1 : 2;
  for (let i = 0; i < keyFieldCount; i++) reader.string();
  reader.raw(8 + 4); // serial, certificate type
  const keyId = reader.text();
  const principalReader = new WireReader(reader.string());
  const principals: string[] = [];
  while (!principalReader.done) principals.push(principalReader.text());
  const validAfter = Number(reader.uint64());
  const validBefore = Number(reader.uint64());
  reader.string(); // critical options
  const extensionReader = new WireReader(reader.string());
  const extensions: Record<string, string> = {};
  while (!extensionReader.done) {
    const name = extensionReader.text();
    const data = extensionReader.string();
    extensions[name] = data.length === 0 ? '' : new WireReader(data).text();
  }
  return { type, keyId, principals, validAfter, validBefore, extensions };
}
