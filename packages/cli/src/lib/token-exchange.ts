import type { AccessTokenResponse } from '@pier/api';
import { typedClient } from './api-client.js';
import type { CachedAccessToken } from './access-token-cache.js';
import { CliError } from './errors.js';
import type { FetchFunction } from './http-transport.js';

export interface ExchangeSettings {
  authUrl: string;
  clientId: string;
  fetch: FetchFunction;
  /** What to tell the user when the token is refused, e.g. which variable to fix. */
  invalidTokenHelp: string;
}

/**
 * `POST /oauth2/token` with `grant_type=api_token`, the client id in HTTP Basic auth (as the
 * Platform.sh CLI sends it). A refused token (400/401 `invalid_grant`) is exit 3 with
 * `The API token is invalid.`, the message Platform.sh users grep for.
 */
export async function exchangeApiToken(apiToken: string, settings: ExchangeSettings): Promise<CachedAccessToken> {
  // openapi-fetch form-encodes the body because of the content-type header
  const { data, error, response } = await typedClient(settings.authUrl, settings.fetch).POST('/oauth2/token', {
    body: { grant_type: 'api_token', api_token: apiToken, scope: '' },
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${settings.clientId}:`).toString('base64')}`,
    },
  });
  if (data) return toCacheEntry(data);
  if ((response.status === 400 || response.status === 401) && error?.error === 'invalid_grant') {
    // A known token refused for a reason (an address binding) says so; an unknown one gets the usual help.
    const reason = error.error_description && error.error_description !== 'Invalid API token' ? error.error_description : undefined;
    throw new CliError('invalid_api_token', reason ? `The API token was refused: ${reason}` : `The API token is invalid.\n\n${settings.invalidTokenHelp}`);
  }
  const description = error?.error_description ?? response.statusText;
  throw new CliError('generic', `The token exchange at ${settings.authUrl}/oauth2/token failed (${response.status}): ${description}`);
}

export function toCacheEntry(response: AccessTokenResponse): CachedAccessToken {
  const claims = decodeJwtClaims(response.access_token);
  const expiresIn = Number.isFinite(response.expires_in) ? response.expires_in : 0;
  return {
    access_token: response.access_token,
    expires_at: typeof claims.exp === 'number' ? claims.exp : Math.floor(Date.now() / 1000) + expiresIn,
    user_id: typeof claims.sub === 'string' ? claims.sub : null,
    api_token_id: typeof claims.api_token_id === 'string' ? claims.api_token_id : null,
  };
}

/**
 * Reads claims without verifying: the CLI only uses them for display and expiry; the server
 * verifies the signature on every request.
 */
export function decodeJwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  if (!payload) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
