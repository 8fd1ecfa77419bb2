import type { Services } from '../services.js';
import type { Static } from 'typebox';
import type { TokenRequestBody } from '../auth/schemas.js';
import { OAuthError } from '../auth/oauth-error.js';
import { IdTokenRefused } from './id-token.js';
import { IssuerUnavailable } from './issuer-keys.js';
import { auditedClaims } from './keyless-exchange.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const SUBJECT_TOKEN_TYPES = ['urn:ietf:params:oauth:token-type:id_token', 'urn:ietf:params:oauth:token-type:jwt'];
const MAX_SUBJECT_TOKEN_LENGTH = 16 * 1024;

export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: string;
  token_type: 'bearer';
  expires_in: number;
}

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` at `POST /oauth2/token`. Every
 * attempt is counted by the exchange failure throttle first and forgiven when it succeeds, as
 * for API tokens; refusals are `invalid_grant` with which check failed.
 */
export async function tokenExchangeGrant(
  services: Pick<Services, 'audit' | 'exchangeThrottle' | 'keylessExchange' | 'logger' | 'users'>,
  body: Static<typeof TokenRequestBody>,
  clientId: string,
  address: string,
): Promise<TokenExchangeResponse> {
  const subjectToken = body.subject_token?.trim();
  if (!subjectToken) throw new OAuthError(400, 'invalid_request', 'The subject_token parameter is missing.');
  if (!body.subject_token_type) throw new OAuthError(400, 'invalid_request', 'The subject_token_type parameter is missing.');
  if (!SUBJECT_TOKEN_TYPES.includes(body.subject_token_type)) {
    throw new OAuthError(400, 'invalid_request', `The subject_token_type must be one of ${SUBJECT_TOKEN_TYPES.join(', ')}.`);
  }
  if (body.requested_token_type !== undefined && body.requested_token_type !== ACCESS_TOKEN_TYPE) {
    throw new OAuthError(400, 'invalid_request', `Only ${ACCESS_TOKEN_TYPE} can be requested.`);
  }
  if (subjectToken.length > MAX_SUBJECT_TOKEN_LENGTH) throw new OAuthError(400, 'invalid_request', 'The subject_token is too long.');

  const wait = await services.exchangeThrottle.admit(address);
  if (wait > 0) throw new OAuthError(429, 'too_many_requests', `Too many failed token requests. Try again in ${wait} seconds.`, wait);
  let result;
  try {
    result = await services.keylessExchange.exchange(subjectToken, clientId);
  } catch (error) {
    if (error instanceof IdTokenRefused) {
      services.logger.info({ reason: error.reason, clientIp: address }, 'keyless token exchange refused');
      throw new OAuthError(400, 'invalid_grant', error.reason);
    }
    if (error instanceof IssuerUnavailable) {
      // The issuer's outage is not the caller's failure.
      await services.exchangeThrottle.forgive(address);
      services.logger.warn({ reason: error.message }, 'keyless token exchange: issuer unavailable');
      throw new OAuthError(503, 'temporarily_unavailable', error.message);
    }
    throw error;
  }
  await services.exchangeThrottle.forgive(address);

  const { issued, policy, claims } = result;
  const user = await services.users.findById(policy.user_id);
  await services.audit.record(
    { userId: policy.user_id, email: user?.email ?? null, authMethod: 'oidc', apiTokenId: null, apiTokenName: null, clientIp: address },
    {
      action: 'oidc_token.exchange',
      projectId: null,
      targetType: 'trust_policy',
      targetId: policy.id,
      details: { policy_id: policy.id, policy_name: policy.name, access_token_id: issued.jti, claims: auditedClaims(claims) },
    },
  );
  return { access_token: issued.accessToken, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'bearer', expires_in: issued.expiresIn };
}
