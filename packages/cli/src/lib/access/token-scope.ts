import { CliError } from '../errors.js';

export interface TokenScopeEntry {
  project_id: string;
  permissions: string[];
}

/**
 * `--scope PROJECT:viewer,development:contributor` → the API's scope entries. The project id comes
 * before the first colon; the permissions are user access's (the server checks them).
 */
export function parseScopeArguments(values: readonly string[]): TokenScopeEntry[] {
  return values.map((value) => {
    const colon = value.indexOf(':');
    const projectId = colon > 0 ? value.slice(0, colon).trim() : '';
    const permissions = colon > 0 ? value.slice(colon + 1).split(',').map((p) => p.trim()).filter(Boolean) : [];
    if (!projectId || permissions.length === 0) {
      throw new CliError('usage', `Invalid --scope "${value}": use PROJECT:PERMISSIONS, e.g. abc123:viewer,development:contributor`);
    }
    return { project_id: projectId, permissions };
  });
}

/** One line per project: `abc123: viewer, development:contributor`. */
export function describeScope(scope: readonly TokenScopeEntry[] | undefined): string {
  if (!scope?.length) return 'all of your access';
  return scope.map((entry) => `${entry.project_id}: ${entry.permissions.join(', ')}`).join('; ');
}
