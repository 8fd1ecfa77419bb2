import type { CachedAccessToken } from './access-token-cache.js';
import { typedClient } from './api-client.js';
import type { CredentialSource } from './credentials.js';
import { CliError } from './errors.js';
import type { FetchFunction } from './http-transport.js';
import { toCacheEntry, type ExchangeSettings } from './token-exchange.js';
import type { CliVendorProfile } from './vendor-profile.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

/**
 * Keyless CI: an OIDC id-token from the CI system, exchanged (RFC 8693) for an access token of
 * the machine user whose trust policy it meets. No secret is stored anywhere.
 */
export interface OidcCredential {
  readonly kind: 'oidc';
  readonly source: CredentialSource;
  /**
   * Names the access-token cache entry (only its hash is used): the id-token itself, or in
   * GitHub Actions the job's request token and audience, which stay the same for the whole job
   * while each id-token requested is new.
   */
  readonly cacheKey: string;
  /** The id-token to exchange, requested from the CI system when needed. */
  idToken(fetch: FetchFunction): Promise<string>;
}

export function oidcTokenVariable(profile: CliVendorProfile): string {
  return `${profile.envPrefix}OIDC_TOKEN`;
}

export function oidcAudienceVariable(profile: CliVendorProfile): string {
  return `${profile.envPrefix}OIDC_AUDIENCE`;
}

/**
 * `<PREFIX>OIDC_TOKEN` (GitLab's `id_tokens:`, any CI that hands out a token), else, inside
 * GitHub Actions with `permissions: id-token: write` and an audience configured
 * (`<PREFIX>OIDC_AUDIENCE`), an id-token requested from the runner.
 */
export function resolveOidcCredential(profile: CliVendorProfile, env: NodeJS.ProcessEnv): OidcCredential | undefined {
  const variable = oidcTokenVariable(profile);
  const fromEnv = env[variable]?.trim();
  if (fromEnv) {
    return { kind: 'oidc', source: { kind: 'oidc_env', variable }, cacheKey: `oidc:${fromEnv}`, idToken: async () => fromEnv };
  }
  const audienceVariable = oidcAudienceVariable(profile);
  const audience = env[audienceVariable]?.trim();
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim();
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim();
  if (!audience || !requestUrl || !requestToken) return undefined;
  return {
    kind: 'oidc',
    source: { kind: 'github_actions', audienceVariable },
    cacheKey: `github-actions:${audience}:${requestToken}`,
    idToken: (fetch) => requestGitHubIdToken(requestUrl, requestToken, audience, fetch),
  };
}

/** GitHub Actions' id-token endpoint: `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` → `{"value": "<JWT>"}`. */
export async function requestGitHubIdToken(requestUrl: string, requestToken: string, audience: string, fetch: FetchFunction): Promise<string> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    throw new CliError('authentication_required', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL.');
  }
  url.searchParams.set('audience', audience);
  const response = await fetch(new Request(url.toString(), { headers: { authorization: `bearer ${requestToken}`, accept: 'application/json' } }));
  const text = await response.text();
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (!response.ok || typeof value !== 'string' || value === '') {
    throw new CliError(
      'authentication_required',
      `GitHub Actions did not issue an OIDC id-token (HTTP ${response.status}). Does the job have "permissions: id-token: write"?`,
    );
  }
  return value;
}

/**
 * `POST /oauth2/token` with the token-exchange grant. A refused id-token is exit 3 with the
 * server's reason (which check failed: audience, a claim condition, expiry…).
 */
export async function exchangeIdToken(credential: OidcCredential, settings: ExchangeSettings): Promise<CachedAccessToken> {
  const idToken = await credential.idToken(settings.fetch);
  const { data, error, response } = await typedClient(settings.authUrl, settings.fetch).POST('/oauth2/token', {
    body: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: idToken, subject_token_type: ID_TOKEN_TYPE },
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${settings.clientId}:`).toString('base64')}`,
    },
  });
  if (data) return toCacheEntry(data);
  const description = error?.error_description ?? response.statusText;
  if ((response.status === 400 || response.status === 401) && error?.error === 'invalid_grant') {
    throw new CliError('invalid_api_token', `The OIDC id-token was refused: ${description}\n\n${settings.invalidTokenHelp}`);
  }
  throw new CliError('generic', `The token exchange at ${settings.authUrl}/oauth2/token failed (${response.status}): ${description}`);
}
