import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoNow } from '../db/time.js';

/** What the revocation list reloads from the database when its feed (re)connects. */
export interface RevocationRows {
  revokedApiTokenIds: string[];
  revokedJtis: string[];
  rotations: Array<{ id: string; rotatedAt: string; previousSecretExpiresAt: string }>;
  deactivations: Array<{ userId: string; deactivatedAt: string }>;
}

/** The rows behind `RevocationList`: revoked access tokens, and what api_tokens and users say. */
export class RevocationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async addRevokedAccessToken(jti: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('revoked_access_tokens')
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
  }

  /**
   * API tokens revoked or rotated after `since`, access tokens not yet expired, and every
   * deactivation however old (a reactivated user's earlier certificates stay dead).
   */
  async load(since: string): Promise<RevocationRows> {
    const tokens = await this.db.selectFrom('api_tokens').select('id').where('revoked_at', '>', since).execute();
    const jtis = await this.db.selectFrom('revoked_access_tokens').select('jti').where('expires_at', '>', isoNow()).execute();
    const rotated = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'rotated_at', 'previous_secret_expires_at'])
      .where('rotated_at', '>', since)
      .execute();
    const users = await this.db.selectFrom('users').select(['id', 'deactivated_at']).where('deactivated_at', 'is not', null).execute();
    return {
      revokedApiTokenIds: tokens.map((row) => row.id),
      revokedJtis: jtis.map((row) => row.jti),
      rotations: rotated.map((row) => ({ id: row.id, rotatedAt: row.rotated_at!, previousSecretExpiresAt: row.previous_secret_expires_at ?? row.rotated_at! })),
      deactivations: users.map((row) => ({ userId: row.id, deactivatedAt: row.deactivated_at! })),
    };
  }
}
