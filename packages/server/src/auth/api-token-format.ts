import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API token layout, like GitHub's: `<prefix><43 base62 chars of 256 random bits><6 base62 chars
 * of the CRC32 of those chars>`. The checksum lets secret scanners and the server reject typos
 * and random strings without a database lookup; the prefix makes a leaked token recognisable.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;

export function apiTokenPattern(prefix: string): RegExp {
  return new RegExp(`^${escapeRegExp(prefix)}[0-9A-Za-z]{${BODY_LENGTH}}[0-9A-Za-z]{${CHECKSUM_LENGTH}}$`);
}

export function generateApiToken(prefix: string): string {
  const body = toBase62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
  return `${prefix}${body}${checksum(body)}`;
}

/** True when the token has the right shape and checksum (it may still be unknown or revoked). */
export function isWellFormedApiToken(token: string, prefix: string): boolean {
  if (token.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH || !token.startsWith(prefix)) return false;
  if (!/^[0-9A-Za-z]+$/.test(token.slice(prefix.length))) return false;
  const body = token.slice(prefix.length, prefix.length + BODY_LENGTH);
  return token.slice(prefix.length + BODY_LENGTH) === checksum(body);
}

function checksum(body: string): string {
  return toBase62(BigInt(crc32(body)), CHECKSUM_LENGTH);
}

function toBase62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out.padStart(width, '0');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
