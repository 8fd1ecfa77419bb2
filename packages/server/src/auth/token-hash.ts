import { createHmac, timingSafeEqual } from 'node:crypto';

/** Secrets (API tokens, session ids) are stored only as HMAC-SHA-256 under the instance key. */
export function hashSecret(key: Buffer, secret: string): string {
  return createHmac('sha256', key).update(secret).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
