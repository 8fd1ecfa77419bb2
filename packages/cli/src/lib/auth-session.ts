import type { AccessTokenCache, CachedAccessToken } from './access-token-cache.js';
import { cacheKeyOf, describeSource, type Credential } from './credentials.js';
import { exchangeIdToken } from './oidc-credential.js';
import type { Io } from './io.js';
import { exchangeApiToken, type ExchangeSettings } from './token-exchange.js';
import { TOKEN_EXPIRES_AT_HEADER, tokenExpiryWarning } from './token-expiry-warning.js';

/**
 * The access token for one API token: from the cache when still good, else one exchange shared
 * with concurrent processes. After a 401 the caller asks `refreshAfterRejection` once.
 */
export class AuthSession {
  private current: CachedAccessToken | undefined;
  private warnedAboutExpiry = false;

  constructor(
    readonly credential: Credential,
    private readonly cache: AccessTokenCache,
    private readonly exchange: ExchangeSettings,
    private readonly io: Io,
    /** The CLI's command name (from the vendor profile), for the rotation hint. */
    private readonly command: string,
  ) {}

  /** Reads `Pier-Token-Expires-At` from an API response; warns (stderr, once a run) in the token's last 7 days. */
  observeResponse(headers: Pick<Headers, 'get'>): void {
    if (this.warnedAboutExpiry) return;
    const warning = tokenExpiryWarning(headers.get(TOKEN_EXPIRES_AT_HEADER), this.current?.api_token_id ?? null, this.command);
    if (!warning) return;
    this.warnedAboutExpiry = true;
    this.io.warning(warning);
  }

  get source(): string {
    return describeSource(this.credential.source);
  }

  /** The entry behind the last token handed out (expiry, user id, token name). */
  get entry(): CachedAccessToken | undefined {
    return this.current;
  }

  async accessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    if (this.current && !options.forceRefresh) return this.current.access_token;
    const rejected = options.forceRefresh ? this.cache.read(cacheKeyOf(this.credential))?.access_token : undefined;
    return this.obtain(rejected);
  }

  async refreshAfterRejection(rejected: string): Promise<string> {
    this.io.debug(1, 'The access token was rejected; exchanging the API token again.');
    this.current = undefined;
    return this.obtain(rejected);
  }

  /** Keeps extra facts (the token's name) beside the cached access token. */
  remember(patch: Partial<CachedAccessToken>): void {
    if (!this.current) return;
    this.current = { ...this.current, ...patch };
    this.cache.write(cacheKeyOf(this.credential), this.current);
  }

  private async obtain(rejected: string | undefined): Promise<string> {
    const credential = this.credential;
    const { entry, exchanged } = await this.cache.getOrExchange(
      cacheKeyOf(credential),
      () => (credential.kind === 'oidc' ? exchangeIdToken(credential, this.exchange) : exchangeApiToken(credential.apiToken, this.exchange)),
      rejected,
    );
    this.io.debug(3, exchanged ? `Exchanged the ${this.source} for an access token.` : `Using the cached access token (${this.cache.dir}).`);
    this.current = entry;
    return entry.access_token;
  }
}
