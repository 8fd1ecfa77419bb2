import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { discoveryUrl, isLoopbackHost } from './issuer-url.js';

/** The issuer's metadata or keys could not be had: not the caller's fault, and not a 500 either. */
export class IssuerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IssuerUnavailable';
  }
}

export interface IssuerKeysOptions {
  /** How long discovered metadata is trusted before it is fetched again. */
  discoveryTtlMs: number;
  /** After a failed discovery, callers are answered from the failure for this long. */
  failureCooldownMs: number;
  timeoutMs: number;
}

const DEFAULTS: IssuerKeysOptions = { discoveryTtlMs: 60 * 60_000, failureCooldownMs: 30_000, timeoutMs: 5_000 };
const MAX_DISCOVERY_BYTES = 64 * 1024;
const MAX_ISSUERS = 1_000;

type Entry = { keys: JWTVerifyGetKey; until: number } | { failure: IssuerUnavailable; until: number };

/**
 * Key sets of trusted OIDC issuers, found through `<issuer>/.well-known/openid-configuration`
 * (whose `issuer` must equal the issuer exactly) and fetched with jose's remote JWK set, which
 * caches keys, refetches on an unknown `kid` at most once per cooldown, and times out. Callers
 * must only ask for issuers a trust policy names: an id-token's `iss` alone is never fetched.
 */
export class IssuerKeys {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<JWTVerifyGetKey>>();
  private readonly options: IssuerKeysOptions;

  constructor(options: Partial<IssuerKeysOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  async keysFor(issuer: string): Promise<JWTVerifyGetKey> {
    const now = Date.now();
    const entry = this.entries.get(issuer);
    if (entry && entry.until > now) {
      if ('failure' in entry) throw entry.failure;
      return entry.keys;
    }
    let pending = this.pending.get(issuer);
    if (!pending) {
      pending = this.discover(issuer).finally(() => this.pending.delete(issuer));
      this.pending.set(issuer, pending);
    }
    return pending;
  }

  private async discover(issuer: string): Promise<JWTVerifyGetKey> {
    if (this.entries.size >= MAX_ISSUERS) this.entries.clear();
    try {
      const jwksUri = await this.fetchJwksUri(issuer);
      const keys = createRemoteJWKSet(jwksUri, {
        timeoutDuration: this.options.timeoutMs,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
      this.entries.set(issuer, { keys, until: Date.now() + this.options.discoveryTtlMs });
      return keys;
    } catch (error) {
      const failure = error instanceof IssuerUnavailable ? error : new IssuerUnavailable(`The issuer's metadata could not be fetched (${(error as Error).name}).`);
      this.entries.set(issuer, { failure, until: Date.now() + this.options.failureCooldownMs });
      throw failure;
    }
  }

  private async fetchJwksUri(issuer: string): Promise<URL> {
    const url = discoveryUrl(issuer);
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.options.timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok) throw new IssuerUnavailable(`The issuer's discovery document answered HTTP ${response.status}.`);
    const text = await response.text();
    if (text.length > MAX_DISCOVERY_BYTES) throw new IssuerUnavailable("The issuer's discovery document is too large.");
    let metadata: unknown;
    try {
      metadata = JSON.parse(text);
    } catch {
      throw new IssuerUnavailable("The issuer's discovery document is not JSON.");
    }
    const { issuer: declared, jwks_uri: jwksUri } = (metadata ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery §4.3: the metadata must name exactly the issuer it was fetched for.
    if (declared !== issuer) throw new IssuerUnavailable("The issuer's discovery document names a different issuer.");
    if (typeof jwksUri !== 'string') throw new IssuerUnavailable("The issuer's discovery document has no jwks_uri.");
    let keysUrl: URL;
    try {
      keysUrl = new URL(jwksUri);
    } catch {
      throw new IssuerUnavailable("The issuer's jwks_uri is not a URL.");
    }
    if (keysUrl.protocol !== 'https:' && !(keysUrl.protocol === 'http:' && isLoopbackHost(keysUrl.hostname))) {
      throw new IssuerUnavailable("The issuer's jwks_uri is not an https URL.");
    }
    return keysUrl;
  }
}
