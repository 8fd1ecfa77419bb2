import { resolveOidcCredential, type OidcCredential } from './oidc-credential.js';
import type { StoredCredentials } from './stored-credentials.js';
import { tokenVariable, type CliVendorProfile } from './vendor-profile.js';

export type CredentialSource =
  | { kind: 'env'; variable: string }
  | { kind: 'stored'; file: string }
  | { kind: 'oidc_env'; variable: string }
  | { kind: 'github_actions'; audienceVariable: string };

export interface ApiTokenCredential {
  readonly kind?: 'api_token';
  readonly apiToken: string;
  readonly source: CredentialSource;
}

/** What the CLI authenticates with: an API token, or a CI's OIDC id-token (keyless). */
export type Credential = ApiTokenCredential | OidcCredential;

/**
 * `<PREFIX>TOKEN` wins over a stored token, as GH_TOKEN does for gh: a CI job that sets the
 * variable means that token, even on a machine where someone once logged in. (The Platform.sh
 * CLI checks the stored token first, which surprises CI users.)
 */
export function resolveApiToken(
  profile: CliVendorProfile,
  env: NodeJS.ProcessEnv,
  stored: StoredCredentials,
): ApiTokenCredential | undefined {
  const variable = tokenVariable(profile);
  const fromEnv = env[variable]?.trim();
  if (fromEnv) return { apiToken: fromEnv, source: { kind: 'env', variable } };
  const fromFile = stored.read();
  if (fromFile) return { apiToken: fromFile, source: { kind: 'stored', file: stored.location } };
  return undefined;
}

/**
 * The order: `<PREFIX>TOKEN`, then `<PREFIX>OIDC_TOKEN`, then an id-token requested from GitHub
 * Actions (when `<PREFIX>OIDC_AUDIENCE` is set), then the stored API token. What the job's
 * environment says wins over what a machine remembers; an API token wins over keyless.
 */
export function resolveCredential(profile: CliVendorProfile, env: NodeJS.ProcessEnv, stored: StoredCredentials): Credential | undefined {
  const variable = tokenVariable(profile);
  if (env[variable]?.trim()) return resolveApiToken(profile, env, stored);
  return resolveOidcCredential(profile, env) ?? resolveApiToken(profile, env, stored);
}

/** The key of a credential's access-token cache entry (hashed into the file name). */
export function cacheKeyOf(credential: Credential): string {
  return credential.kind === 'oidc' ? credential.cacheKey : credential.apiToken;
}

export function describeSource(source: CredentialSource): string {
  switch (source.kind) {
    case 'env':
      return `API token from the ${source.variable} environment variable`;
    case 'stored':
      return 'stored API token';
    case 'oidc_env':
      return `OIDC id-token from the ${source.variable} environment variable`;
    case 'github_actions':
      return `OIDC id-token from GitHub Actions (audience in ${source.audienceVariable})`;
  }
}
