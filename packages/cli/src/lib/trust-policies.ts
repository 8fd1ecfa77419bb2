import type { TrustPolicy } from '@pier/api';

/** `repository=acme/app ref=refs/heads/*`: how conditions are typed in `trust-policy:create`. */
export function formatConditions(conditions: TrustPolicy['conditions']): string {
  return Object.entries(conditions)
    .map(([claim, value]) => `${claim}=${value}`)
    .join(' ');
}

/** `abc123=viewer,development:contributor`, as `--scope` takes it; empty for no limit. */
export function formatScope(scope: TrustPolicy['scope']): string {
  return (scope ?? []).map((entry) => `${entry.project_id}=${entry.permissions.join(',')}`).join(' ');
}
