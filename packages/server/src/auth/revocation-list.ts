import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import type { ChangeFeed } from '../db/change-feed.js';
import { isoAfter, isoNow } from '../db/time.js';

export type Revocation = { kind: 'api_token'; id: string } | { kind: 'access_token'; jti: string; expiresAt: string };

/**
 * What was revoked recently enough to matter: API tokens (every access token minted from one
 * dies with it) and single access tokens (by `jti`, RFC 7009). Every node keeps this in memory
 * and learns of new revocations from the change feed (LISTEN/NOTIFY on PostgreSQL), reloading
 * from the database whenever the feed (re)connects.
 */
export class RevocationList {
  private readonly apiTokens = new Set<string>();
  private readonly accessTokens = new Set<string>();
  private readonly unsubscribe: Array<() => void> = [];
  /** A reload the feed asked for; stop() waits for it, so none outlives the database connection. */
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly changes: ChangeFeed,
    private readonly windowSeconds: number,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe.push(this.changes.subscribe('revocation', (payload) => this.remember(payload)));
    this.unsubscribe.push(
      this.changes.onResync(() => {
        this.reloading = this.reloading.then(() => this.reload()).catch((error: unknown) => this.logger.warn({ err: error }, 'revocation list reload failed'));
      }),
    );
    await this.reload();
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.reloading;
  }

  isApiTokenRevoked(apiTokenId: string): boolean {
    return this.apiTokens.has(apiTokenId);
  }

  isAccessTokenRevoked(jti: string): boolean {
    return this.accessTokens.has(jti);
  }

  /** Records a single access token's revocation and tells every node. */
  async revokeAccessToken(jti: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('revoked_access_tokens')
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
    await this.announce({ kind: 'access_token', jti, expiresAt });
  }

  /** Called once the revocation is committed: effective here at once, elsewhere via the feed. */
  async announce(revocation: Revocation): Promise<void> {
    const payload = revocation.kind === 'api_token' ? `api_token:${revocation.id}` : `access_token:${revocation.jti}`;
    this.remember(payload);
    // The time lets every node measure how long the news took (a metric); `remember` ignores it.
    await this.changes.publish('revocation', `${payload}:${Date.now()}`);
  }

  private remember(payload: string): void {
    const [kind, id] = payload.split(':', 2);
    if (!id) return;
    if (kind === 'api_token') this.apiTokens.add(id);
    if (kind === 'access_token') this.accessTokens.add(id);
  }

  private async reload(): Promise<void> {
    const since = isoAfter(-(this.windowSeconds + 60));
    const tokens = await this.db.selectFrom('api_tokens').select('id').where('revoked_at', '>', since).execute();
    for (const row of tokens) this.apiTokens.add(row.id);
    const jtis = await this.db.selectFrom('revoked_access_tokens').select('jti').where('expires_at', '>', isoNow()).execute();
    for (const row of jtis) this.accessTokens.add(row.jti);
  }
}
