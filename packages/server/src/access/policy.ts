import { environmentRoles, type EnvironmentRole, type EnvironmentType, type ProjectRole } from '@pier/api/vocabulary';
import type { ScopeLimit } from './token-scope.js';

/**
 * The one place that decides "may this caller do this action here". Rules (DESIGN.md, from
 * Platform.sh): instance admins and project admins may do everything in a project; otherwise the
 * role on the environment's type decides — viewer reads, contributor pushes, branches, uses SSH
 * and runs source operations, admin also backs up, changes settings and manages variables.
 * The words themselves (types, roles, their rank) are declared once in `@pier/api/vocabulary`.
 */

export interface Grant {
  readonly isInstanceAdmin: boolean;
  /** null: no access to the project at all. */
  readonly projectRole: ProjectRole | null;
  readonly typeRoles: Readonly<Partial<Record<EnvironmentType, EnvironmentRole>>>;
  /** The user who owns the project (created it, or had it handed over). */
  readonly isOwner?: boolean;
  /**
   * The credential's ceiling on this project (a scoped API token or trust policy): the effective
   * right is the intersection. Absent for credentials with no scope.
   */
  readonly limit?: ScopeLimit;
}

export const projectActions = {
  'project:view': 'viewer',
  'access:view': 'viewer',
  'project:edit': 'admin',
  'access:manage': 'admin',
  'audit:view': 'admin',
  'project-variables:manage': 'admin',
} as const satisfies Record<string, ProjectRole>;
export type ProjectAction = keyof typeof projectActions;

export const environmentActions = {
  'environment:view': 'viewer',
  'environment:branch': 'contributor',
  'environment:push': 'contributor',
  'environment:ssh': 'contributor',
  'environment:source-operation': 'contributor',
  'environment:force-push': 'admin',
  'environment:backup': 'admin',
  'environment:manage': 'admin',
  'environment:variables': 'admin',
} as const satisfies Record<string, EnvironmentRole>;
export type EnvironmentAction = keyof typeof environmentActions;

export type Decision = { allowed: true } | { allowed: false; missing: string; message: string };

const allowed: Decision = { allowed: true };

export function effectiveEnvironmentRole(grant: Grant, type: EnvironmentType): EnvironmentRole | null {
  if (grant.isInstanceAdmin || grant.projectRole === 'admin') return 'admin';
  if (grant.projectRole === null) return null;
  return grant.typeRoles[type] ?? null;
}

export function decideProjectAction(grant: Grant, action: ProjectAction): Decision {
  const needed = projectActions[action];
  if (!grant.isInstanceAdmin && !(grant.projectRole === 'admin' || (needed === 'viewer' && grant.projectRole === 'viewer'))) {
    return { allowed: false, missing: needed, message: `You need the project role "${needed}" to ${describe(action)}.` };
  }
  if (grant.limit && !(grant.limit.projectRole === 'admin' || (needed === 'viewer' && grant.limit.projectRole === 'viewer'))) {
    return outsideScope(needed, action);
  }
  return allowed;
}

export function decideEnvironmentAction(grant: Grant, action: EnvironmentAction, type: EnvironmentType): Decision {
  const needed = environmentActions[action];
  const role = effectiveEnvironmentRole(grant, type);
  if (!role || rank(role) < rank(needed)) {
    return {
      allowed: false,
      missing: `${type}:${needed}`,
      message: `You need the ${needed} role on ${type} environments to ${describe(action)}.`,
    };
  }
  const ceiling = grant.limit ? effectiveEnvironmentRole({ isInstanceAdmin: false, ...grant.limit }, type) : role;
  if (!ceiling || rank(ceiling) < rank(needed)) return outsideScope(`${type}:${needed}`, action);
  return allowed;
}

/** Denied by the credential's scope, not by the user's role: the message says so, so nobody hunts for a missing role. */
function outsideScope(needed: string, action: ProjectAction | EnvironmentAction): Decision {
  return {
    allowed: false,
    missing: `token scope ${needed}`,
    message: `This token's scope does not allow you to ${describe(action)}: it needs "${needed}" in the token's scope.`,
  };
}

/**
 * Project variables reach every environment, production included: reading them needs what
 * reading them in a production environment needs.
 */
export function decideProjectVariablesRead(grant: Grant): Decision {
  return decideEnvironmentAction(grant, 'environment:view', 'production');
}

/** Deleting a project destroys its code, data and backups: its owner's call, not every admin's. */
export function decideProjectDeletion(grant: Grant): Decision {
  if (!grant.isInstanceAdmin && !grant.isOwner) return { allowed: false, missing: 'owner', message: 'Only the project owner or an instance admin can delete this project.' };
  if (grant.limit && grant.limit.projectRole !== 'admin') return { allowed: false, missing: 'token scope admin', message: 'This token\'s scope does not allow you to delete this project: it needs "admin" in the token\'s scope.' };
  return allowed;
}

/** Instance-wide powers (creating projects, managing users) are never within a scoped credential's reach. */
export function decideInstanceAction(isInstanceAdmin: boolean, scoped: boolean, what: string): Decision {
  if (!isInstanceAdmin) return { allowed: false, missing: 'instance:admin', message: `Only instance admins can ${what}.` };
  if (scoped) return { allowed: false, missing: 'token scope instance:admin', message: `A scoped token cannot ${what}.` };
  return allowed;
}

export function decideProjectCreation(isInstanceAdmin: boolean, scoped = false): Decision {
  return decideInstanceAction(isInstanceAdmin, scoped, 'create projects');
}

function rank(role: EnvironmentRole): number {
  return environmentRoles.indexOf(role);
}

const descriptions: Record<ProjectAction | EnvironmentAction, string> = {
  'project:view': 'view this project',
  'access:view': 'view who has access',
  'project:edit': 'change this project',
  'access:manage': 'manage user access',
  'audit:view': 'read the audit trail',
  'project-variables:manage': 'manage project variables',
  'environment:view': 'view this environment',
  'environment:branch': 'branch this environment',
  'environment:push': 'push code',
  'environment:ssh': 'use SSH',
  'environment:source-operation': 'run source operations',
  'environment:force-push': 'force-push',
  'environment:backup': 'create or restore backups',
  'environment:manage': 'change environment settings',
  'environment:variables': 'manage environment variables',
};

function describe(action: ProjectAction | EnvironmentAction): string {
  return descriptions[action];
}
