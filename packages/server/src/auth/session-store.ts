import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoAfter, isoNow } from '../db/time.js';
import { hashSecret } from './token-hash.js';

export const SESSION_TTL_SECONDS = 12 * 60 * 60;

export interface ConsoleSession {
  userId: string;
  csrfToken: string;
  expiresAt: string;
}

/** Console login sessions: the cookie holds a random id, the database only its HMAC. */
export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hmacKey: Buffer,
  ) {}

  async create(userId: string): Promise<{ sessionId: string; session: ConsoleSession }> {
    const sessionId = randomBytes(32).toString('base64url');
    const session = { userId, csrfToken: randomBytes(24).toString('base64url'), expiresAt: isoAfter(SESSION_TTL_SECONDS) };
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: hashSecret(this.hmacKey, sessionId),
        user_id: userId,
        csrf_token: session.csrfToken,
        created_at: isoNow(),
        expires_at: session.expiresAt,
      })
      .execute();
    return { sessionId, session };
  }

  async find(sessionId: string): Promise<ConsoleSession | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'csrf_token', 'expires_at'])
      .where('id_hash', '=', hashSecret(this.hmacKey, sessionId))
      .where('expires_at', '>', isoNow())
      .executeTakeFirst();
    return row && { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async delete(sessionId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', hashSecret(this.hmacKey, sessionId)).execute();
  }
}
