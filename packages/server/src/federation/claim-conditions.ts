import { ApiError } from '../http/errors.js';

/** Claim name → exact value or glob (`*` = any run of characters, nothing else is special). */
export type ClaimConditions = Readonly<Record<string, string>>;

/**
 * Claims that tie an id-token to one pipeline. A policy needs at least one of them: a policy
 * with only `iss` + `aud` would let every repository on github.com in.
 */
export const IDENTIFYING_CLAIMS = [
  'sub',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'ref',
  'environment',
  'job_workflow_ref',
  'workflow_ref',
  'project_path',
  'project_id',
  'namespace_path',
  'namespace_id',
  'ci_config_ref_uri',
] as const;

/** Claims an exchange checks itself: a condition on them would be meaningless or misleading. */
const RESERVED_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti']);

export function validateConditions(conditions: ClaimConditions): void {
  const names = Object.keys(conditions);
  for (const name of names) {
    if (RESERVED_CLAIMS.has(name)) {
      throw new ApiError('invalid_request', `The claim "${name}" is checked by the exchange itself and cannot be a condition.`, { field: `conditions.${name}` });
    }
    if (/^\**$/.test(conditions[name]!)) {
      throw new ApiError('invalid_request', `The condition on "${name}" matches everything: give a value or a narrower glob.`, { field: `conditions.${name}` });
    }
  }
  if (!names.some((name) => (IDENTIFYING_CLAIMS as readonly string[]).includes(name))) {
    throw new ApiError('invalid_request', `Conditions must include at least one of ${IDENTIFYING_CLAIMS.join(', ')}, so that only your pipelines match.`, {
      field: 'conditions',
    });
  }
}

/**
 * The first condition the claims fail, or undefined when all hold. Only string, number and
 * boolean claims can match; a glob's `*` never crosses into a different claim.
 */
export function firstUnmetCondition(conditions: ClaimConditions, claims: Readonly<Record<string, unknown>>): string | undefined {
  for (const [name, pattern] of Object.entries(conditions)) {
    const value = claims[name];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return name;
    if (!globMatches(pattern, String(value))) return name;
  }
  return undefined;
}

export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // Greedy-free scan: each middle literal is found left to right within what is left.
  let position = first.length;
  const end = value.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, position);
    if (found === -1 || found + middle.length > end) return false;
    position = found + middle.length;
  }
  return true;
}
