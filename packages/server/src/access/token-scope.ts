import { Type, type Static } from 'typebox';
import type { EnvironmentRole, EnvironmentType, ProjectRole } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { formatPermissions, parsePermissions, type AccessLevels } from './permissions.js';
import { PermissionString } from './schemas.js';

/**
 * What a credential is limited to, below its user's own grant: some projects, and in each a
 * ceiling written in the access vocabulary (`viewer`, `development:contributor`). A credential
 * with no scope reaches all its user has; a scoped one never reaches instance-wide powers.
 */
export interface TokenScopeEntry {
  projectId: string;
  levels: AccessLevels;
}
export type TokenScope = readonly TokenScopeEntry[];

export const TokenScopeSchema = Type.Array(
  Type.Object(
    {
      project_id: Type.String({ minLength: 1, maxLength: 64 }),
      permissions: Type.Array(PermissionString, { minItems: 1, maxItems: 4 }),
    },
    { additionalProperties: false },
  ),
  {
    minItems: 1,
    maxItems: 100,
    description: 'Limits the credential to these projects, each with at most these permissions (as for user access); absent = everything its user may do.',
  },
);
export type TokenScopeBody = Static<typeof TokenScopeSchema>;

/** The ceiling a scope puts on one project: null when the project is outside the scope. */
export interface ScopeLimit {
  projectRole: ProjectRole | null;
  typeRoles: Readonly<Partial<Record<EnvironmentType, EnvironmentRole>>>;
}

export function parseTokenScope(body: TokenScopeBody, field = 'scope'): TokenScope {
  const seen = new Set<string>();
  return body.map((entry) => {
    if (seen.has(entry.project_id)) throw new ApiError('invalid_request', `Project "${entry.project_id}" appears twice in the scope.`, { field });
    seen.add(entry.project_id);
    return { projectId: entry.project_id, levels: parsePermissions(entry.permissions) };
  });
}

export function tokenScopeToBody(scope: TokenScope): TokenScopeBody {
  return scope.map((entry) => ({ project_id: entry.projectId, permissions: formatPermissions(entry.levels) }));
}

/** Stored (and carried in access tokens) as the wire form: it is short and reads as what it means. */
export function serializeTokenScope(scope: TokenScope | null): string | null {
  return scope ? JSON.stringify(tokenScopeToBody(scope)) : null;
}

export function deserializeTokenScope(text: string | null): TokenScope | null {
  if (text === null) return null;
  return parseTokenScope(JSON.parse(text) as TokenScopeBody);
}

export function scopeLimitFor(scope: TokenScope, projectId: string): ScopeLimit {
  const entry = scope.find((candidate) => candidate.projectId === projectId);
  if (!entry) return { projectRole: null, typeRoles: {} };
  return { projectRole: entry.levels.role, typeRoles: entry.levels.typeRoles };
}

/** The projects a scoped credential may see at all. */
export function scopedProjectIds(scope: TokenScope): ReadonlySet<string> {
  return new Set(scope.map((entry) => entry.projectId));
}
