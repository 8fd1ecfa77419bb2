import type { Logger } from 'pino';
import type { ChangeFeed } from '../db/change-feed.js';
import { isoAfter } from '../db/time.js';
import type { RevocationStore } from './revocation-store.js';

export type Revocation =
  | { kind: 'api_token'; id: string }
  | { kind: 'access_token'; jti: string; expiresAt: string }
  /** A deactivated user: every credential issued up to `cutoff` (ms since the epoch) is dead, reactivated or not. */
  | { kind: 'user'; id: string; cutoff: number }
  /** A rotated API token: access tokens issued up to `rotatedAt` stop working at `retiredAt` (ms), with the old secret. */
  | { kind: 'rotation'; id: string; rotatedAt: number; retiredAt: number };

export type RevocationListener = (revocation: Revocation) => void;

/**
 * What was revoked recently enough to matter: API tokens (every access token minted from one
 * dies with it) and single access tokens (by `jti`, RFC 7009). Every node keeps this in memory
 * and learns of new revocations from the change feed (LISTEN/NOTIFY on PostgreSQL), reloading
 * from the database whenever the feed (re)connects.
 */
export class RevocationList {
  private readonly apiTokens = new Set<string>();
  private readonly accessTokens = new Set<string>();
  /** User id → the last deactivation time (ms): credentials issued at or before it are dead. */
  private readonly userCutoffs = new Map<string, number>();
  private readonly listeners = new Set<RevocationListener>();
  /** API token id → its last rotation: when, and when the old secret (and its access tokens) stop. */
  private readonly rotations = new Map<string, { rotatedAt: number; retiredAt: number }>();
  private readonly unsubscribe: Array<() => void> = [];
  /** A reload the feed asked for; stop() waits for it, so none outlives the database connection. */
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: RevocationStore,
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

  /** Whether a credential of this user issued at `issuedAtMs` predates a deactivation. */
  isIssuedBeforeDeactivation(userId: string, issuedAtMs: number): boolean {
    if (this.userCutoffs.size === 0) return false;
    const cutoff = this.userCutoffs.get(userId);
    return cutoff !== undefined && issuedAtMs <= cutoff;
  }

  /** Whether an access token issued at `issuedAtMs` from this API token came from a secret rotated out and past its overlap. */
  isSecretRetired(apiTokenId: string, issuedAtMs: number, now = Date.now()): boolean {
    if (this.rotations.size === 0) return false;
    const rotation = this.rotations.get(apiTokenId);
    return rotation !== undefined && issuedAtMs <= rotation.rotatedAt && now >= rotation.retiredAt;
  }

  /** Whether the API token got a new secret after `issuedAtMs` (what was issued before must not be handed out again). */
  isRotatedSince(apiTokenId: string, issuedAtMs: number): boolean {
    if (this.rotations.size === 0) return false;
    const rotation = this.rotations.get(apiTokenId);
    return rotation !== undefined && issuedAtMs <= rotation.rotatedAt;
  }

  /** Called with every revocation this node learns of (its own and other nodes'): running SSH sessions end on it. */
  onRevocation(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records a single access token's revocation and tells every node. */
  async revokeAccessToken(jti: string, expiresAt: string): Promise<void> {
    await this.store.addRevokedAccessToken(jti, expiresAt);
    await this.announce({ kind: 'access_token', jti, expiresAt });
  }

  /** Called once the revocation is committed: effective here at once, elsewhere via the feed. */
  async announce(revocation: Revocation): Promise<void> {
    const payload =
            revocation.kind === 'api_token'
        ? `api_token:${revocation.id}`
        : revocation.kind === 'user'
          ? `user:${revocation.id},${revocation.cutoff}`
          : revocation.kind === 'rotation'
            ? `rotation:${revocation.id},${revocation.rotatedAt},${revocation.retiredAt}`
            : `access_token:${revocation.jti}`;
    this.remember(payload);
    // The time lets every node measure how long the news took (a metric); `remember` ignores it.
    await this.changes.publish('revocation', `${payload}:${Date.now()}`);
  }

  private remember(payload: string): void {
    const [kind, id] = payload.split(':', 2);
    if (!id) return;
    let revocation: Revocation | undefined;
    if (kind === 'api_token') {
      this.apiTokens.add(id);
      revocation = { kind, id };
    } else if (kind === 'access_token') {
      this.accessTokens.add(id);
      revocation = { kind, jti: id, expiresAt: '' };
    } else if (kind === 'user') {
      const [userId, cutoff] = id.split(',');
      if (!userId || !cutoff) return;
      this.setUserCutoff(userId, Number(cutoff));
      revocation = { kind, id: userId, cutoff: Number(cutoff) };
    } else if (kind === 'rotation') {
      const [tokenId, rotatedAt, retiredAt] = id.split(',');
      if (!tokenId || !rotatedAt || !retiredAt) return;
      this.setRotation(tokenId, Number(rotatedAt), Number(retiredAt));
      revocation = { kind, id: tokenId, rotatedAt: Number(rotatedAt), retiredAt: Number(retiredAt) };
    }
    if (revocation) for (const listener of this.listeners) listener(revocation);
  }

  private setRotation(apiTokenId: string, rotatedAt: number, retiredAt: number): void {
    if (!Number.isFinite(rotatedAt) || !Number.isFinite(retiredAt)) return;
    const known = this.rotations.get(apiTokenId);
    if (!known || known.rotatedAt < rotatedAt) this.rotations.set(apiTokenId, { rotatedAt, retiredAt });
  }

  private setUserCutoff(userId: string, cutoff: number): void {
    if (!Number.isFinite(cutoff)) return;
    this.userCutoffs.set(userId, Math.max(cutoff, this.userCutoffs.get(userId) ?? 0));
  }

  private async reload(): Promise<void> {
    const since = isoAfter(-(this.windowSeconds + 60));
    const rows = await this.store.load(since);
    for (const id of rows.revokedApiTokenIds) this.apiTokens.add(id);
    for (const jti of rows.revokedJtis) this.accessTokens.add(jti);
    // Rotations recent enough that access tokens minted before them may still be alive.
    for (const row of rows.rotations) this.setRotation(row.id, Date.parse(row.rotatedAt), Date.parse(row.previousSecretExpiresAt));
    for (const row of rows.deactivations) this.setUserCutoff(row.userId, Date.parse(row.deactivatedAt));
  }
}
