import { randomUUID, sign } from 'node:crypto';
import type { SigningKey } from './signing-key-store.js';
import { tokenScopeToBody, type TokenScope } from '../access/token-scope.js';

export interface AccessTokenRequest {
  userId: string;
  apiTokenId: string | null;
  clientId: string;
  /** Authentication methods (RFC 8176), e.g. `["api_token"]`. */
  amr: string[];
  /** The access token never outlives what it was exchanged from. */
  notAfter: Date | null;
  /** A limit below the user's grant (an API token's or a trust policy's scope); null = none. */
  scope?: TokenScope | null;
  /** CIDRs the access token may be used from (its API token's binding); null = anywhere. */
  allowedIps?: readonly string[] | null;
  /** When the API token it came from expires: answered in `Pier-Token-Expires-At`. */
  apiTokenExpiresAt?: Date | null;
  /** Audit details of a keyless exchange: the trust policy and the id-token's identifying claims. */
  federated?: { policyId: string; issuer: string; subject: string } | null;
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
  jti: string;
  /** Seconds since the epoch: when the API token it came from expires (`Pier-Token-Expires-At`). */
  apiTokenExpiresAt?: number;
}

/**
 * Mints compact JWS access tokens. Signing runs through node:crypto's callback API, which uses
 * the libuv thread pool, so the event loop keeps serving requests while a token is signed;
 * `jose` verifies what this produces (see the tests).
 */
export class AccessTokenIssuer {
  private readonly encodedHeader: string;

  constructor(
    private readonly key: SigningKey,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {
    this.encodedHeader = base64url(JSON.stringify({ alg: key.algorithm, typ: 'at+jwt', kid: key.kid }));
  }

  async issue(request: AccessTokenRequest): Promise<IssuedAccessToken> {
    const issuedAtMs = Date.now();
    const now = Math.floor(issuedAtMs / 1000);
    const cap = request.notAfter ? Math.floor(request.notAfter.getTime() / 1000) : Number.POSITIVE_INFINITY;
    const exp = Math.min(now + this.ttlSeconds, cap);
    const jti = randomUUID();
    const claims = {
      iss: this.issuer,
      sub: request.userId,
      aud: this.issuer,
      client_id: request.clientId,
      iat: now,
      exp,
      jti,
      amr: request.amr,
      // The issuing millisecond: a deactivation or rotation in the same second as a new token must not catch it.
      iat_ms: issuedAtMs,
      ...(request.apiTokenId ? { api_token_id: request.apiTokenId } : {}),
      ...(request.scope ? { pier_scope: tokenScopeToBody(request.scope) } : {}),
      ...(request.allowedIps ? { allowed_ips: request.allowedIps } : {}),
      ...(request.apiTokenExpiresAt ? { api_token_exp: Math.floor(request.apiTokenExpiresAt.getTime() / 1000) } : {}),
      ...(request.federated ? { trust_policy_id: request.federated.policyId } : {}),
    };
    const signingInput = `${this.encodedHeader}.${base64url(JSON.stringify(claims))}`;
    const signature = await signAsync(this.key, Buffer.from(signingInput));
    const accessToken = `${signingInput}.${signature.toString('base64url')}`;
    return claims.api_token_exp === undefined ? { accessToken, expiresIn: exp - now, jti } : { accessToken, expiresIn: exp - now, jti, apiTokenExpiresAt: claims.api_token_exp };
  }
}

function signAsync(key: SigningKey, data: Buffer): Promise<Buffer> {
  const signingKey = key.algorithm === 'ES256' ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' as const } : key.privateKey;
  const digest = key.algorithm === 'ES256' ? 'sha256' : null;
  return new Promise((resolve, reject) =>
    sign(digest, data, signingKey, (error, signature) => (error ? reject(error) : resolve(signature))),
  );
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
