import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { open, seal } from '../secrets/sealed-box.js';

export type JwtAlgorithm = 'ES256' | 'EdDSA';

export interface SigningKey {
  readonly kid: string;
  readonly algorithm: JwtAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
}

/**
 * Access-token signing keys live in the database, their private halves sealed with the instance
 * key, so every node sharing the database signs and verifies with the same keys.
 */
export class SigningKeyStore {
  private keys = new Map<string, SigningKey>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly encryptionKey: Buffer,
  ) {}

  /** The newest key of the algorithm, created at first start. */
  async currentKey(algorithm: JwtAlgorithm): Promise<SigningKey> {
    await this.reload();
    const existing = this.newest(algorithm);
    if (existing) return existing;
    await this.create(algorithm);
    await this.reload();
    const created = this.newest(algorithm);
    if (!created) throw new Error(`No ${algorithm} signing key after creating one`);
    return created;
  }

  find(kid: string): SigningKey | undefined {
    return this.keys.get(kid);
  }

  all(): SigningKey[] {
    return [...this.keys.values()];
  }

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'asc').execute();
    const keys = new Map<string, SigningKey>();
    for (const row of rows) {
      const existing = this.keys.get(row.kid);
      if (existing) {
        keys.set(row.kid, existing);
        continue;
      }
      const privateKey = createPrivateKey(open(this.encryptionKey, row.private_key, `signing-key:${row.kid}`));
      keys.set(row.kid, {
        kid: row.kid,
        algorithm: row.algorithm as JwtAlgorithm,
        privateKey,
        publicKey: createPublicKey(privateKey),
        publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
      });
    }
    this.keys = keys;
  }

  private newest(algorithm: JwtAlgorithm): SigningKey | undefined {
    return [...this.keys.values()].filter((k) => k.algorithm === algorithm).at(-1);
  }

  private async create(algorithm: JwtAlgorithm): Promise<void> {
    const { privateKey, publicKey } =
      algorithm === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = uuidv7();
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: algorithm, use: 'sig' };
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await this.db
      .insertInto('signing_keys')
      .values({
        kid,
        algorithm,
        private_key: seal(this.encryptionKey, pem, `signing-key:${kid}`),
        public_jwk: JSON.stringify(jwk),
        created_at: isoNow(),
      })
      .execute();
  }
}
