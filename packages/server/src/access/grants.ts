import type { Project, ProjectAccess } from '../db/schema.js';
import type { WorkerServices } from '../services.js';
import { ApiError } from '../http/errors.js';
import type { Principal } from '../http/authenticate.js';
import { decideEnvironmentAction, decideProjectAction, decideProjectVariablesRead, decideProjectDeletion, type Decision, type EnvironmentAction, type Grant, type ProjectAction } from './policy.js';
import type { EnvironmentType } from '../db/schema.js';
import { fromColumns } from './permissions.js';
import { scopeLimitFor, type TokenScope } from './token-scope.js';

export interface ProjectAccessContext {
  project: Project;
  grant: Grant;
}

/**
 * The stores a grant is read from. Every caller — routes, the SSH gateway, the hooks, the worker —
 * passes the ones built once in services, so all decide from the same rows.
 */
export type GrantStores = Pick<WorkerServices, 'users' | 'projects' | 'projectAccess'>;

/** The user's grant on a project, narrowed by the credential's scope when it has one. */
export async function loadGrant(stores: GrantStores, userId: string, projectId: string, scope: TokenScope | null = null): Promise<Grant> {
  const [admin, access, project] = await Promise.all([stores.users.isAdmin(userId), stores.projectAccess.findRow(projectId, userId), stores.projects.find(projectId)]);
  return grantFrom(admin, access, project?.owner_id === userId, projectId, scope);
}

function grantFrom(isInstanceAdmin: boolean, access: ProjectAccess | undefined, isOwner: boolean, projectId: string, scope: TokenScope | null): Grant {
  const limit = scope ? { limit: scopeLimitFor(scope, projectId) } : {};
  if (!access) return { isInstanceAdmin, projectRole: null, typeRoles: {}, ...limit };
  const levels = fromColumns(access);
  return { isInstanceAdmin, projectRole: levels.role, typeRoles: levels.typeRoles, isOwner, ...limit };
}

/** Instance admin powers of this caller: a scoped credential has none. */
export async function callerIsInstanceAdmin(stores: Pick<GrantStores, 'users'>, principal: Principal): Promise<boolean> {
  return principal.scope === null && (await stores.users.isAdmin(principal.userId));
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
export async function loadProjectAccess(stores: GrantStores, principal: Principal, projectId: string): Promise<ProjectAccessContext> {
  // The grant's three reads, with the project read once for both the answer and its owner.
  const [project, admin, access] = await Promise.all([stores.projects.find(projectId), stores.users.isAdmin(principal.userId), stores.projectAccess.findRow(projectId, principal.userId)]);
  const grant = grantFrom(admin, access, project?.owner_id === principal.userId, projectId, principal.scope);
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
