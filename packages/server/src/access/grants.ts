import type { Project } from '../db/schema.js';
import type { DatabaseExecutor } from '../db/database.js';
import { UserStore } from '../users/store.js';
import { ProjectStore } from '../projects/store.js';
import { ProjectAccessStore } from './store.js';
import { ApiError } from '../http/errors.js';
import type { Principal } from '../http/authenticate.js';
import {
  decideEnvironmentAction,
  decideProjectAction,
  decideProjectVariablesRead,
  decideProjectDeletion,
  type Decision,
  type EnvironmentAction,
  type Grant,
  type ProjectAction,
} from './policy.js';
import type { EnvironmentType } from '../db/schema.js';
import { fromColumns } from './permissions.js';
import { scopeLimitFor, type TokenScope } from './token-scope.js';

export interface ProjectAccessContext {
  project: Project;
  grant: Grant;
}

// These take the database (or a transaction) and read through the users, projects and access
// stores, so every caller — routes, the SSH gateway, the hooks — decides from the same rows.

export function isInstanceAdmin(db: DatabaseExecutor, userId: string): Promise<boolean> {
  return new UserStore(db).isAdmin(userId);
}

/** The user's grant on a project, narrowed by the credential's scope when it has one. */
export async function loadGrant(db: DatabaseExecutor, userId: string, projectId: string, scope: TokenScope | null = null): Promise<Grant> {
  const [admin, access, project] = await Promise.all([isInstanceAdmin(db, userId), new ProjectAccessStore(db).findRow(projectId, userId), new ProjectStore(db).find(projectId)]);
  const limit = scope ? { limit: scopeLimitFor(scope, projectId) } : {};
  if (!access) return { isInstanceAdmin: admin, projectRole: null, typeRoles: {}, ...limit };
  const levels = fromColumns(access);
  return { isInstanceAdmin: admin, projectRole: levels.role, typeRoles: levels.typeRoles, isOwner: project?.owner_id === userId, ...limit };
}

/** Instance admin powers of this caller: a scoped credential has none. */
export async function callerIsInstanceAdmin(db: DatabaseExecutor, principal: Principal): Promise<boolean> {
  return principal.scope === null && (await isInstanceAdmin(db, principal.userId));
}

/** The projects a caller may list: a scoped credential sees only those in its scope. */
export function withinScope<T extends { id: string }>(projects: T[], scope: TokenScope | null): T[] {
  if (!scope) return projects;
  const ids = new Set(scope.map((entry) => entry.projectId));
  return projects.filter((project) => ids.has(project.id));
}

/**
 * The project and the caller's grant on it. Callers with no access at all get 404, as if the
 * project did not exist, so project ids cannot be probed.
 */
export async function loadProjectAccess(db: DatabaseExecutor, principal: Principal, projectId: string): Promise<ProjectAccessContext> {
  const [project, grant] = await Promise.all([new ProjectStore(db).find(projectId), loadGrant(db, principal.userId, projectId, principal.scope)]);
  if (!project || (!grant.isInstanceAdmin && grant.projectRole === null)) throw new ApiError('not_found', 'Project not found.');
  if (grant.limit?.projectRole === null) {
    throw new ApiError('forbidden', `This token's scope does not include project ${project.id}.`, { missing_permission: `token scope project ${project.id}` });
  }
  return { project, grant };
}

export function requireProjectAction(grant: Grant, action: ProjectAction): void {
  enforce(decideProjectAction(grant, action));
}

export function requireEnvironmentAction(grant: Grant, action: EnvironmentAction, type: EnvironmentType): void {
  enforce(decideEnvironmentAction(grant, action, type));
}

export function requireProjectDeletion(grant: Grant): void {
  enforce(decideProjectDeletion(grant));
}

export function requireProjectVariablesRead(grant: Grant): void {
  enforce(decideProjectVariablesRead(grant));
}

function enforce(decision: Decision): void {
  if (!decision.allowed) throw new ApiError('forbidden', decision.message, { missing_permission: decision.missing });
}
