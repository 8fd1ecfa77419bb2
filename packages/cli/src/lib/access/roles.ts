import { environmentRoles, isEnvironmentRole, projectRoles, type EnvironmentRole, type ProjectRole } from '@pier/api';
import { CliError } from '../errors.js';

/**
 * The Platform.sh role syntax of `user:add` / `user:update` (research §4.4) and the permission
 * strings of the user-access API (`"viewer"`, `"development:contributor"`).
 */
export type { ProjectRole };
/** A role on one environment type. */
export type TypeRole = EnvironmentRole;
/** `none` removes the role on a type. */
type TypeRoleChange = TypeRole | 'none';

/** A member's access: one project role and, for a viewer, a role per environment type. */
export interface AccessRoles {
  projectRole: ProjectRole;
  typeRoles: Readonly<Record<string, TypeRole>>;
}

/** What the `--role` values ask for. */
export interface RoleChanges {
  projectRole: ProjectRole | undefined;
  typeRoles: ReadonlyMap<string, TypeRoleChange>;
}

/**
 * Each value may hold several roles separated by commas or spaces. A value without `:` is the
 * project role (the first one wins); `TYPE:ROLE` sets a role on every environment type whose id
 * matches TYPE (`%` and `*` are wildcards). Roles match by prefix: `v` is viewer, `c` contributor.
 */
export function parseRoleArguments(values: readonly string[], environmentTypeIds: readonly string[]): RoleChanges {
  let projectRole: ProjectRole | undefined;
  const changes = new Map<string, TypeRoleChange>();
  for (const role of values.flatMap((value) => value.split(/[,\s]+/)).filter(Boolean)) {
    const colon = role.indexOf(':');
    if (colon === -1) {
      projectRole ??= matchRole(role, projectRoles);
      continue;
    }
    const typePattern = role.slice(0, colon);
    const typeRole = matchRole(role.slice(colon + 1), [...environmentRoles, 'none'] as const);
    const matched = environmentTypeIds.filter((typeId) => wildcardPattern(typePattern).test(typeId));
    if (matched.length === 0) throw new CliError('usage', `No environment type IDs match: ${typePattern}`);
    for (const typeId of matched) changes.set(typeId, typeRole);
  }
  return { projectRole, typeRoles: changes };
}

/** The current roles with the changes applied; a new member starts as a viewer with no type roles. */
export function applyRoleChanges(current: AccessRoles | undefined, changes: RoleChanges): AccessRoles {
  const projectRole = changes.projectRole ?? current?.projectRole ?? 'viewer';
  if (projectRole === 'admin') return { projectRole, typeRoles: {} };
  const result: Record<string, TypeRole> = { ...current?.typeRoles };
  for (const [typeId, role] of changes.typeRoles) {
    if (role === 'none') delete result[typeId];
    else result[typeId] = role;
  }
  return { projectRole, typeRoles: result };
}

/** Refuses combinations the server would reject or silently ignore, with the CLI's messages. */
export function validateRoles(roles: AccessRoles, changes: RoleChanges): void {
  const settingTypeRoles = [...changes.typeRoles.values()].some((role) => role !== 'none');
  if (roles.projectRole === 'admin' && settingTypeRoles) {
    throw new CliError('usage', 'A project admin has the admin role on every environment type: environment type roles cannot be set as well.');
  }
  if (roles.projectRole === 'viewer' && Object.keys(roles.typeRoles).length === 0) {
    throw new CliError('usage', 'No environment types selected.\nA non-admin user must be added to at least one environment type.');
  }
}

export function rolesFromPermissions(permissions: readonly string[]): AccessRoles {
  const result: Record<string, TypeRole> = {};
  let projectRole: ProjectRole = 'viewer';
  for (const permission of permissions) {
    const [first, second] = permission.split(':');
    if (second === undefined) {
      if (first === 'admin') projectRole = 'admin';
    } else if (first && isEnvironmentRole(second)) {
      result[first] = second;
    }
  }
  return { projectRole, typeRoles: result };
}

export function permissionsFromRoles(roles: AccessRoles): string[] {
  return [roles.projectRole, ...Object.entries(roles.typeRoles).map(([typeId, role]) => `${typeId}:${role}`)];
}

/** `  Project role: viewer` and one `    Role on type T: R` line per type, as Platform.sh prints. */
export function describeRoles(roles: AccessRoles): string[] {
  return [`  Project role: ${roles.projectRole}`, ...Object.entries(roles.typeRoles).map(([typeId, role]) => `    Role on type ${typeId}: ${role}`)];
}

/** Lines for `Summary of changes:`; empty when nothing changes. */
export function describeRoleChanges(before: AccessRoles, after: AccessRoles): string[] {
  const lines: string[] = [];
  if (before.projectRole !== after.projectRole) lines.push(`  Project role: ${before.projectRole} -> ${after.projectRole}`);
  for (const typeId of new Set([...Object.keys(before.typeRoles), ...Object.keys(after.typeRoles)])) {
    const from = before.typeRoles[typeId] ?? 'none';
    const to = after.typeRoles[typeId] ?? 'none';
    if (from !== to) lines.push(`    Role on type ${typeId}: ${from} -> ${to}`);
  }
  return lines;
}

function matchRole<T extends string>(given: string, roles: readonly T[]): T {
  const lower = given.toLowerCase();
  const match = lower ? roles.find((role) => role.startsWith(lower)) : undefined;
  if (!match) throw new CliError('usage', `Invalid role: ${given}`);
  return match;
}

function wildcardPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[%*]/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}
