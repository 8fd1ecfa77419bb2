import { decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { IssuerUnavailable } from './issuer-keys.js';

/** Asymmetric algorithms only: never `none`, never HS* (whose "key" would be public). */
export const ID_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Seconds of clock skew forgiven between the CI's identity provider and this server. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Why an id-token was refused, in words the CI user can act on; never the token itself. */
export class IdTokenRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'IdTokenRefused';
  }
}

/** The unverified `iss`: only used to find trust policies, never to fetch anything by itself. */
export function claimedIssuer(idToken: string): string {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(idToken);
  } catch {
    throw new IdTokenRefused('The subject_token is not a JWT.');
  }
  if (typeof claims.iss !== 'string' || claims.iss === '') throw new IdTokenRefused('The id-token has no issuer (iss) claim.');
  return claims.iss;
}

/** Signature (issuer's keys, allowed algorithms), issuer, exp/nbf/iat. The audience is the caller's to match. */
export async function verifyIdToken(idToken: string, issuer: string, keys: JWTVerifyGetKey): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(idToken, keys, {
      issuer,
      algorithms: ID_TOKEN_ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    });
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
      throw new IdTokenRefused('The id-token was issued in the future (iat).');
    }
    return payload;
  } catch (error) {
    throw refusal(error);
  }
}

function refusal(error: unknown): Error {
  if (error instanceof IdTokenRefused) return error;
  if (error instanceof errors.JWTExpired) return new IdTokenRefused('The id-token has expired (exp).');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new IdTokenRefused('The id-token is not valid yet (nbf).');
    if (error.claim === 'iat') return new IdTokenRefused('The id-token has an invalid issue time (iat).');
    return new IdTokenRefused(`The id-token's "${error.claim}" claim is missing or invalid.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new IdTokenRefused(`The id-token's signing algorithm is not allowed (allowed: ${ID_TOKEN_ALGORITHMS.join(', ')}).`);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new IdTokenRefused("No key of the issuer's key set (JWKS) matches the id-token's key id.");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new IdTokenRefused("The id-token's signature does not verify with the issuer's keys.");
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return new IssuerUnavailable(`The issuer's key set (JWKS) could not be used (${error.code}).`);
  // jose's generic code is what its key-set fetch throws (a status other than 200, not JSON).
  if (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') return new IssuerUnavailable("The issuer's key set (JWKS) could not be fetched.");
  if (error instanceof errors.JOSEError) return new IdTokenRefused(`The id-token is malformed (${error.code}).`);
  // Anything else comes from fetching the key set (connection refused, bad status, DNS).
  return new IssuerUnavailable("The issuer's key set (JWKS) could not be fetched.");
}
