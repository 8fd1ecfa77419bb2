import type { EnvironmentRole, EnvironmentType, EnvironmentTypeRoles, ProjectRole } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { environmentRoles, environmentTypes, permissionStrings, projectRoles } from '@pier/api/vocabulary';

/**
 * The Platform.sh permission strings: one project role (`admin`, `viewer`) and roles per
 * environment type (`development:contributor`). A project admin is admin everywhere, so type roles
 * are dropped for admins, as the Platform.sh API does.
 */
export interface AccessLevels {
  role: ProjectRole;
  typeRoles: Partial<Record<EnvironmentType, EnvironmentRole>>;
}

export function parsePermissions(permissions: readonly string[]): AccessLevels {
  let role: ProjectRole | undefined;
  const typeRoles: Partial<Record<EnvironmentType, EnvironmentRole>> = {};
  for (const permission of permissions) {
    const [first, second, ...rest] = permission.split(':');
    if (second === undefined && projectRoles.includes(first as ProjectRole)) {
      if (role && role !== first) throw invalid(`Conflicting project roles "${role}" and "${first}".`);
      role = first as ProjectRole;
    } else if (rest.length === 0 && environmentTypes.includes(first as EnvironmentType) && environmentRoles.includes(second as EnvironmentRole)) {
      typeRoles[first as EnvironmentType] = second as EnvironmentRole;
    } else {
      throw invalid(`Unknown permission "${permission}". Use admin, viewer or TYPE:ROLE with TYPE one of ${environmentTypes.join(', ')} and ROLE one of ${environmentRoles.join(', ')}.`);
    }
  }
  return normalise({ role: role ?? 'viewer', typeRoles });
}

export function normalise(levels: AccessLevels): AccessLevels {
  return levels.role === 'admin' ? { role: 'admin', typeRoles: {} } : levels;
}

export function formatPermissions(levels: AccessLevels): string[] {
  return permissionStrings(levels.role, levels.typeRoles);
}

export function toColumns(levels: AccessLevels): EnvironmentTypeRoles & { role: ProjectRole } {
  const { role, typeRoles } = normalise(levels);
  return {
    role,
    production_role: typeRoles.production ?? null,
    staging_role: typeRoles.staging ?? null,
    development_role: typeRoles.development ?? null,
  };
}

export function fromColumns(row: EnvironmentTypeRoles & { role: ProjectRole }): AccessLevels {
  const typeRoles: Partial<Record<EnvironmentType, EnvironmentRole>> = {};
  if (row.production_role) typeRoles.production = row.production_role;
  if (row.staging_role) typeRoles.staging = row.staging_role;
  if (row.development_role) typeRoles.development = row.development_role;
  return normalise({ role: row.role, typeRoles });
}

function invalid(message: string): ApiError {
  return new ApiError('invalid_request', message, { field: 'permissions' });
}
