import { errors, jwtVerify, type JWTPayload, type JWTHeaderParameters } from 'jose';
import { ApiError } from '../http/errors.js';
import type { RevocationList } from './revocation-list.js';
import type { SigningKeyStore } from './signing-key-store.js';
import { parseTokenScope, type TokenScope, type TokenScopeBody } from '../access/token-scope.js';
import { AddressBinding } from './address-binding.js';

export interface AccessTokenPrincipal {
  userId: string;
  apiTokenId: string | null;
  jti: string;
  /** Milliseconds since the epoch (`iat_ms`, else `iat`). */
  issuedAtMs: number;
  expiresAt: number;
  scope: TokenScope | null;
  /** The addresses it may be used from (its API token's binding); null = anywhere. */
  addresses: AddressBinding | null;
  /** Seconds since the epoch: when the API token it was exchanged from expires. */
  apiTokenExpiresAt: number | null;
  trustPolicyId: string | null;
}

const MAX_CACHED = 50_000;
const KEY_RELOAD_INTERVAL_MS = 5_000;

/**
 * Verifies bearer access tokens locally. A token's signature is checked once; afterwards the
 * verified claims are served from memory until the token expires, while every use still asks the
 * revocation list, so a deleted API token stops working at once.
 */
export class AccessTokenVerifier {
  private readonly verified = new Map<string, AccessTokenPrincipal>();
  private lastKeyReload = 0;

  constructor(
    private readonly keys: SigningKeyStore,
    private readonly revocations: RevocationList,
    private readonly issuer: string,
  ) {}

  /** Verified tokens held in memory (a metrics gauge). */
  get cachedCount(): number {
    return this.verified.size;
  }

  async verify(token: string): Promise<AccessTokenPrincipal> {
    const cached = this.verified.get(token);
    const principal = cached ?? (await this.verifySignature(token));
    if (principal.expiresAt * 1000 <= Date.now()) {
      this.verified.delete(token);
      throw new ApiError('invalid_token', 'The access token has expired.');
    }
    if (
      (principal.apiTokenId && this.revocations.isApiTokenRevoked(principal.apiTokenId)) ||
      this.revocations.isAccessTokenRevoked(principal.jti) ||
      this.revocations.isIssuedBeforeDeactivation(principal.userId, principal.issuedAtMs) ||
      (principal.apiTokenId && this.revocations.isSecretRetired(principal.apiTokenId, principal.issuedAtMs))
    ) {
      this.verified.delete(token);
      throw new ApiError('invalid_token', 'The access token has been revoked.');
    }
    if (!cached) this.remember(token, principal);
    return principal;
  }

  private async verifySignature(token: string): Promise<AccessTokenPrincipal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        issuer: this.issuer,
        audience: this.issuer,
        algorithms: ['ES256', 'EdDSA'],
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'jti'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new ApiError('invalid_token', 'The access token has expired.');
      throw new ApiError('invalid_token', 'The access token is invalid.');
    }
    return {
      userId: String(payload.sub),
      apiTokenId: typeof payload.api_token_id === 'string' ? payload.api_token_id : null,
      jti: String(payload.jti),
      issuedAtMs: typeof payload.iat_ms === 'number' ? payload.iat_ms : Number(payload.iat ?? 0) * 1000,
      expiresAt: Number(payload.exp),
      // The claims were signed by this instance, so their shape is its own; parsing still checks it.
      scope: Array.isArray(payload.pier_scope) ? parseTokenScope(payload.pier_scope as TokenScopeBody) : null,
      addresses: Array.isArray(payload.allowed_ips) ? new AddressBinding(payload.allowed_ips.map(String)) : null,
      apiTokenExpiresAt: typeof payload.api_token_exp === 'number' ? payload.api_token_exp : null,
      trustPolicyId: typeof payload.trust_policy_id === 'string' ? payload.trust_policy_id : null,
    };
  }

  private async keyFor(header: JWTHeaderParameters) {
    const kid = header.kid ?? '';
    let key = this.keys.find(kid);
    if (!key && Date.now() - this.lastKeyReload > KEY_RELOAD_INTERVAL_MS) {
      this.lastKeyReload = Date.now();
      await this.keys.reload();
      key = this.keys.find(kid);
    }
    if (!key || key.algorithm !== header.alg) throw new errors.JWKSNoMatchingKey();
    return key.publicKey;
  }

  private remember(token: string, principal: AccessTokenPrincipal): void {
    if (this.verified.size >= MAX_CACHED) {
      // Map iteration is insertion order: drop the oldest tenth.
      let drop = MAX_CACHED / 10;
      for (const key of this.verified.keys()) {
        this.verified.delete(key);
        if (--drop <= 0) break;
      }
    }
    this.verified.set(token, principal);
  }
}
