import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { ApiTokenRow, Database } from '../db/schema.js';
import { isoAfter, isoNow } from '../db/time.js';
import { CompiledQueries } from '../db/compiled-query.js';
import { ApiError } from '../http/errors.js';
import { generateApiToken } from './api-token-format.js';
import { hashSecret } from './token-hash.js';

export interface ApiTokenLimits {
  /** Serialised TokenScope (access/token-scope.ts), or null for the user's whole grant. */
  scope: string | null;
  /** Normalised CIDRs, or null for anywhere. */
  allowedIps: readonly string[] | null;
}

/** A usable token found by its secret, and which of its secrets matched (a rotation's old one works for a while). */
export type UsableApiToken = ApiTokenRow & { deactivated: number; matched: 'current' | 'previous' };

export interface CreatedApiToken {
  row: ApiTokenRow;
  /** The only time the plain token exists outside the caller's hands. */
  token: string;
}

export class ApiTokenStore {
  private readonly compiled: CompiledQueries;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly hmacKey: Buffer,
    private readonly tokenPrefix: string,
  ) {
    this.compiled = new CompiledQueries(db);
  }

  async create(userId: string, name: string, expiresAt: string | null, limits: ApiTokenLimits = { scope: null, allowedIps: null }): Promise<CreatedApiToken> {
    const token = generateApiToken(this.tokenPrefix);
    const now = isoNow();
    const row: ApiTokenRow = {
      id: uuidv7(),
      user_id: userId,
      name,
      token_hash: hashSecret(this.hmacKey, token),
      mfa_on_creation: 0,
      created_at: now,
      updated_at: now,
      expires_at: expiresAt,
      last_used_at: null,
      last_used_ip: null,
      revoked_at: null,
      scope: limits.scope,
      allowed_ips: limits.allowedIps ? JSON.stringify(limits.allowedIps) : null,
      previous_token_hash: null,
      previous_secret_expires_at: null,
      rotated_at: null,
      expiry_notice_7d_at: null,
      expiry_notice_1d_at: null,
    };
    if (await this.findLiveByName(userId, name)) throw duplicateName(name);
    try {
      await this.db.insertInto('api_tokens').values(row).execute();
    } catch (error) {
      // Two creations racing past the check above meet the unique index instead.
      if (await this.findLiveByName(userId, name)) throw duplicateName(name);
      throw error;
    }
    return { row, token };
  }

  listLive(userId: string): Promise<ApiTokenRow[]> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'asc')
      .execute();
  }

  findLive(userId: string, tokenId: string): Promise<ApiTokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  /** Any token, revoked ones included (audit trails name them; the SSH gateway checks certificates against it). */
  findById(tokenId: string): Promise<ApiTokenRow | undefined> {
    return this.db.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).executeTakeFirst();
  }

  /** The token for an exchange (live, not expired) with its owner's status. */
  findUsable(token: string): Promise<UsableApiToken | undefined> {
    return this.findUsableByHash(hashSecret(this.hmacKey, token));
  }

  async findUsableByHash(tokenHash: string): Promise<UsableApiToken | undefined> {
    const now = isoNow();
    // Every exchange runs these: built and compiled once (db/compiled-query.ts).
    const [current] = await this.compiled.rows('usableByHash', (hash: string) => this.usableRows().where('api_tokens.token_hash', '=', hash), tokenHash);
    // Only a miss pays for the second look: a secret rotated out and still in its overlap.
    const row = current
      ? { ...current, matched: 'current' as const }
      : await this.compiled
          .rows(
            'usableByPreviousHash',
            (hash: string, at: string) => this.usableRows().where('api_tokens.previous_token_hash', '=', hash).where('api_tokens.previous_secret_expires_at', '>', at),
            tokenHash,
            now,
          )
          .then(([previous]) => previous && { ...previous, matched: 'previous' as const });
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    return row;
  }

  /**
   * A new secret under the same id and name. The old one keeps working for `overlapSeconds`
   * (0: not at all); any older one stops now. Returns undefined when the token is not live.
   */
  async rotate(userId: string, tokenId: string, overlapSeconds: number): Promise<CreatedApiToken | undefined> {
    const token = generateApiToken(this.tokenPrefix);
    const now = isoNow();
    const result = await this.db
      .updateTable('api_tokens')
      .set((eb) => ({
        token_hash: hashSecret(this.hmacKey, token),
        previous_token_hash: overlapSeconds > 0 ? eb.ref('token_hash') : null,
        previous_secret_expires_at: isoAfter(overlapSeconds),
        rotated_at: now,
        updated_at: now,
      }))
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    const row = await this.findById(tokenId);
    return row && { row, token };
  }

  private usableRows() {
    return this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select('users.deactivated')
      .where('api_tokens.revoked_at', 'is', null);
  }

  /** Marks the token revoked; returns false when it did not exist or was already revoked. */
  async revoke(userId: string, tokenId: string): Promise<boolean> {
    const now = isoNow();
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now, updated_at: now })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async recordUse(uses: ReadonlyMap<string, { at: string; ip: string }>): Promise<void> {
    if (uses.size === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const [id, use] of uses) {
        await trx.updateTable('api_tokens').set({ last_used_at: use.at, last_used_ip: use.ip }).where('id', '=', id).execute();
      }
    });
  }

  private findLiveByName(userId: string, name: string): Promise<{ id: string } | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }
}

function duplicateName(name: string): ApiError {
  return new ApiError('conflict', `An API token named "${name}" already exists.`, { field: 'name' });
}
