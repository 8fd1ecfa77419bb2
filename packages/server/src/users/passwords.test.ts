import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_HASH_COST, PASSWORD_HASH_COST_RANGE, PasswordHasher, passwordHashCostWarning } from './passwords.js';

const parametersOf = (hash: string) => hash.split('$').slice(0, 4).join('$');

describe('password hashes', () => {
  it('are scrypt with N = 2^15 by default, salted, and check only the right password', async () => {
    const hasher = new PasswordHasher();
    const [first, second] = await Promise.all([hasher.hash('correct horse'), hasher.hash('correct horse')]);
    expect(parametersOf(first)).toBe(`scrypt$${2 ** DEFAULT_PASSWORD_HASH_COST}$8$1`);
    expect(first).not.toBe(second);
    expect(await hasher.verifyLogin('correct horse', first)).toBe(true);
    expect(await hasher.verifyLogin('correct horsE', first)).toBe(false);
    expect(await hasher.verifyLogin('correct horse', 'bcrypt$not-ours')).toBe(false);
  });

  it('are made at the configured cost and checked at the cost stored with each', async () => {
    const cheap = new PasswordHasher(10);
    const costly = new PasswordHasher(16);
    const cheapHash = await cheap.hash('a password');
    expect(parametersOf(cheapHash)).toBe('scrypt$1024$8$1');
    // Raising the cost later leaves existing hashes working.
    expect(await costly.verifyLogin('a password', cheapHash)).toBe(true);
    expect(await cheap.verifyLogin('a password', await new PasswordHasher().hash('a password'))).toBe(true);
  });

  it('work at every cost the configuration accepts', async () => {
    // Up to 20 used to be accepted, but above 17 scrypt needs more memory than it may take.
    for (const cost of [PASSWORD_HASH_COST_RANGE.minimum, PASSWORD_HASH_COST_RANGE.maximum]) {
      const hasher = new PasswordHasher(cost);
      expect(await hasher.verifyLogin('at the limit', await hasher.hash('at the limit')), String(cost)).toBe(true);
    }
  });

  it('refuse a login without an account or a password, after the same work', async () => {
    const hasher = new PasswordHasher(10);
    expect(await hasher.verifyLogin('anything', undefined)).toBe(false);
    expect(await hasher.verifyLogin('anything', null)).toBe(false);
    expect(await hasher.verifyLogin('right', await hasher.hash('right'))).toBe(true);
  });

  it('warn at start only below the default cost', () => {
    expect(passwordHashCostWarning(15)).toBeUndefined();
    expect(passwordHashCostWarning(18)).toBeUndefined();
    expect(passwordHashCostWarning(10)).toMatch(/PIER_PASSWORD_HASH_COST=10 makes new password hashes 32 times cheaper/);
  });
});
