import type { ApiTokenStore } from './api-token-store.js';
import type { AccessTokenIssuer, IssuedAccessToken } from './access-token-issuer.js';
import type { RevocationList } from './revocation-list.js';
import type { UsageRecorder } from './usage-recorder.js';
import { isWellFormedApiToken } from './api-token-format.js';
import { hashSecret } from './token-hash.js';
import { AddressBinding } from './address-binding.js';
import { OAuthError } from './oauth-error.js';
import { deserializeTokenScope } from '../access/token-scope.js';

interface RecentExchange {
  apiTokenId: string;
  userId: string;
  clientId: string;
  /** When this secret stops working: the token's expiry, or a rotated-out secret's overlap end. */
  apiTokenExpiresAt: number | null;
  addresses: AddressBinding | null;
  issued: IssuedAccessToken;
  issuedAt: number;
  expiresAt: number;
}

const MAX_RECENT = 20_000;

/**
 * The `api_token` grant. A CI fleet or a cron burst exchanges the same API token many times a
 * minute; for a short window (`PIER_ACCESS_TOKEN_REUSE_SECONDS`) the same still-fresh access
 * token is handed out again, as a cloud metadata server does, so signing and the database stay
 * off the hot path. Every reuse still asks the revocation list first, so a deleted API token or a
 * revoked access token is never handed out again.
 */
export class TokenExchange {
  private readonly recent = new Map<string, RecentExchange>();

  constructor(
    private readonly options: {
      apiTokens: ApiTokenStore;
      issuer: AccessTokenIssuer;
      revocations: RevocationList;
      usage: UsageRecorder;
      hmacKey: Buffer;
      tokenPrefix: string;
      reuseSeconds: number;
    },
  ) {}

  /** Access tokens held for reuse (a metrics gauge). */
  get reusableCount(): number {
    return this.recent.size;
  }

  /**
   * The still-fresh access token issued for this API token moments ago, without a database
   * lookup: the fast path, which a failure throttle need not count.
   */
  reuse(apiToken: string, clientId: string, address: string): IssuedAccessToken | undefined {
    const { usage, hmacKey, tokenPrefix } = this.options;
    if (this.recent.size === 0 || !isWellFormedApiToken(apiToken, tokenPrefix)) return undefined;
    const now = Date.now();
    const reused = this.reusable(hashSecret(hmacKey, apiToken), clientId, now);
    if (!reused || (reused.addresses && !reused.addresses.allows(address))) return undefined;
    usage.record(reused.apiTokenId, address);
    return { ...reused.issued, expiresIn: Math.floor((reused.expiresAt - now) / 1000) };
  }

  /**
   * The access token for an API token, or undefined when the API token is not usable. A token
   * bound to addresses the caller is not at is refused with the reason (it is the owner's token).
   * `accepted` is called once the API token has proved usable, before signing.
   */
  async exchange(apiToken: string, clientId: string, address: string, accepted?: () => void): Promise<IssuedAccessToken | undefined> {
    const { apiTokens, issuer, usage, hmacKey, tokenPrefix } = this.options;
    const reused = this.reuse(apiToken, clientId, address);
    if (reused) return reused;
    if (!isWellFormedApiToken(apiToken, tokenPrefix)) return undefined;
    const hash = hashSecret(hmacKey, apiToken);
    const now = Date.now();
    const found = await apiTokens.findUsableByHash(hash);
    if (!found || found.deactivated === 1) return undefined;
    const addresses = found.allowed_ips ? new AddressBinding(JSON.parse(found.allowed_ips) as string[]) : null;
    if (addresses && !addresses.allows(address)) {
      throw new OAuthError(400, 'invalid_grant', `This API token may not be used from ${address}.`);
    }
    const tokenExpiresAt = found.expires_at ? Date.parse(found.expires_at) : null;
    // A rotated-out secret works until its overlap ends, and so does nothing minted from it.
    const secretExpiresAt = found.matched === 'previous' ? Math.min(Date.parse(found.previous_secret_expires_at!), tokenExpiresAt ?? Infinity) : tokenExpiresAt;
    accepted?.();
    const issued = await issuer.issue({
      userId: found.user_id,
      apiTokenId: found.id,
      clientId,
      amr: ['api_token'],
      notAfter: secretExpiresAt === null ? null : new Date(secretExpiresAt),
      apiTokenExpiresAt: secretExpiresAt === null ? null : new Date(secretExpiresAt),
      scope: deserializeTokenScope(found.scope),
      allowedIps: addresses?.cidrs ?? null,
    });
    this.remember(hash, {
      apiTokenId: found.id,
      userId: found.user_id,
      clientId,
      apiTokenExpiresAt: secretExpiresAt,
      addresses,
      issued,
      issuedAt: now,
      expiresAt: now + issued.expiresIn * 1000,
    });
    usage.record(found.id, address);
    return issued;
  }

  private reusable(hash: string, clientId: string, now: number): RecentExchange | undefined {
    const entry = this.recent.get(hash);
    if (!entry) return undefined;
    const { revocations, reuseSeconds } = this.options;
    const fresh = now - entry.issuedAt < reuseSeconds * 1000 && entry.expiresAt - now > 60_000;
    const valid =
      (entry.apiTokenExpiresAt === null || entry.apiTokenExpiresAt > now) &&
      !revocations.isApiTokenRevoked(entry.apiTokenId) &&
      !revocations.isAccessTokenRevoked(entry.issued.jti) &&
      !revocations.isRotatedSince(entry.apiTokenId, entry.issuedAt) &&
      !revocations.isIssuedBeforeDeactivation(entry.userId, entry.issuedAt);
    if (fresh && valid && entry.clientId === clientId) return entry;
    if (!fresh || !valid) this.recent.delete(hash);
    return undefined;
  }

  private remember(hash: string, entry: RecentExchange): void {
    if (this.options.reuseSeconds <= 0) return;
    if (this.recent.size >= MAX_RECENT) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(hash, entry);
  }
}
