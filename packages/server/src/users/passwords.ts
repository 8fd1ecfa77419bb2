import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * log2 of scrypt's N for new hashes. OWASP's baseline (N=2^17, r=8, p=1) costs 128 MiB per hash;
 * 2^15 (32 MiB, ~160 ms on a 2-core box) keeps logins fast while staying well above brute-force
 * comfort. `PIER_PASSWORD_HASH_COST` changes it; parameters are stored per hash, so old hashes
 * keep working at the cost they were made with.
 */
export const DEFAULT_PASSWORD_HASH_COST = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
/** scrypt uses 128 × r × N bytes: 256 MiB allows up to 2^17, OWASP's baseline, with room to spare. */
const MAX_MEMORY = 256 * 1024 * 1024;
/** Above 17, N = 2^cost needs more than MAX_MEMORY and every hash would fail. */
export const PASSWORD_HASH_COST_RANGE = { minimum: 10, maximum: 17 } as const;

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Makes and checks password hashes (scrypt) at one cost, built once per process from the configuration. */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly cost: number = DEFAULT_PASSWORD_HASH_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const N = 2 ** this.cost;
    const key = await derive(password, salt, { N, r: BLOCK_SIZE, p: PARALLELISM });
    return ['scrypt', N, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /**
   * Whether `password` is the one `stored` was made from, whatever cost it was made at; in the same
   * time whether or not the account exists (or has a password): without one, a dummy hash at this
   * cost is checked, so timing tells nothing about e-mails.
   */
  async verifyLogin(password: string, stored: string | null | undefined): Promise<boolean> {
    this.dummyHash ??= this.hash(randomBytes(16).toString('base64url'));
    const valid = await verifyPassword(password, stored ?? (await this.dummyHash));
    return stored ? valid : false;
  }
}

/** Said at start when new hashes are cheaper than the default makes them. */
export function passwordHashCostWarning(cost: number): string | undefined {
  if (cost >= DEFAULT_PASSWORD_HASH_COST) return undefined;
  return `PIER_PASSWORD_HASH_COST=${cost} makes new password hashes ${2 ** (DEFAULT_PASSWORD_HASH_COST - cost)} times cheaper to guess than the default (${DEFAULT_PASSWORD_HASH_COST}): for test instances only.`;
}

/** A password to print once for a generated admin account. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
