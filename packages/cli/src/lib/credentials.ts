import type { StoredCredentials } from './stored-credentials.js';
import { tokenVariable, type CliVendorProfile } from './vendor-profile.js';

export type CredentialSource = { kind: 'env'; variable: string } | { kind: 'stored'; file: string };

export interface ApiTokenCredential {
  readonly apiToken: string;
  readonly source: CredentialSource;
}

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

export function describeSource(source: CredentialSource): string {
  return source.kind === 'env' ? `API token from the ${source.variable} environment variable` : 'stored API token';
}
