/**
 * Reads an OpenSSH certificate line (`ssh-ed25519-cert-v01@openssh.com AAAA… comment`) without
 * spawning ssh-keygen: the wire format (PROTOCOL.certkeys) is a short sequence of length-prefixed
 * fields, and every pier SSH command checks the certificate, so reading it must be cheap.
 */
import { TruncatedWireData, WireReader, WireWriter } from '@pier/wire';

/** As the Platform.sh CLI: a certificate expiring within two minutes is renewed. */
export const EXPIRY_BUFFER_SECONDS = 120;

export interface SshCertificate {
  /** `ssh-ed25519-cert-v01@openssh.com`… */
  keyType: string;
  /** The certified public key as an OpenSSH key blob (base64), to compare with the key pair. */
  publicKeyBlob: string;
  serial: bigint;
  keyId: string;
  principals: string[];
  /** Unix seconds. */
  validAfter: number;
  validBefore: number;
  criticalOptions: Record<string, string>;
  extensions: Record<string, string>;
}

/** The fields of the certified key, after the nonce, by certificate type. */
const keyFieldCounts: Record<string, { plainType: string; fields: number }> = {
  'ssh-ed25519-cert-v01@openssh.com': { plainType: 'ssh-ed25519', fields: 1 },
  'ssh-rsa-cert-v01@openssh.com': { plainType: 'ssh-rsa', fields: 2 },
  'ecdsa-sha2-nistp256-cert-v01@openssh.com': { plainType: 'ecdsa-sha2-nistp256', fields: 2 },
  'ecdsa-sha2-nistp384-cert-v01@openssh.com': { plainType: 'ecdsa-sha2-nistp384', fields: 2 },
  'ecdsa-sha2-nistp521-cert-v01@openssh.com': { plainType: 'ecdsa-sha2-nistp521', fields: 2 },
};

export class CertificateFormatError extends Error {}

/** Name/value pairs where each value is itself a string (or empty for flags). */
function readOptions(blob: Buffer): Record<string, string> {
  const reader = new WireReader(blob);
  const options: Record<string, string> = {};
  while (!reader.done) {
    const name = reader.text();
    const data = reader.string();
    options[name] = data.length >= 4 ? new WireReader(data).text() : '';
  }
  return options;
}

/** An OpenSSH "forever" validity (2^64-1) is clamped to the largest safe number. */
function seconds(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

export function parseCertificate(line: string): SshCertificate {
  try {
    return readCertificate(line);
  } catch (error) {
    if (error instanceof TruncatedWireData) throw new CertificateFormatError('truncated certificate');
    throw error;
  }
}

function readCertificate(line: string): SshCertificate {
  const [keyType = '', base64 = ''] = line.trim().split(/\s+/);
  const layout = keyFieldCounts[keyType];
  if (!layout) throw new CertificateFormatError(`not an OpenSSH certificate (${keyType || 'empty'})`);
  const reader = new WireReader(Buffer.from(base64, 'base64'));
  if (reader.text() !== keyType) throw new CertificateFormatError('the certificate type does not match its line');
  reader.string(); // nonce
  const keyParts = Array.from({ length: layout.fields }, () => reader.string());
  const serial = reader.uint64();
  reader.uint32(); // 1 = user certificate, 2 = host certificate
  const keyId = reader.text();
  const principalsReader = new WireReader(reader.string());
  const principals: string[] = [];
  while (!principalsReader.done) principals.push(principalsReader.text());
  const validAfter = seconds(reader.uint64());
  const validBefore = seconds(reader.uint64());
  const criticalOptions = readOptions(reader.string());
  const extensions = readOptions(reader.string());
  return { keyType, publicKeyBlob: keyBlob(layout.plainType, keyParts), serial, keyId, principals, validAfter, validBefore, criticalOptions, extensions };
}

function keyBlob(type: string, parts: Buffer[]): string {
  const writer = new WireWriter().string(type);
  for (const part of parts) writer.string(part);
  return writer.toBuffer().toString('base64');
}

/** The key blob of a public key line (`ssh-ed25519 AAAA… comment`). */
export function publicKeyBlob(line: string): string {
  return line.trim().split(/\s+/)[1] ?? '';
}
