import type { Kysely } from 'kysely';
import type { Database, Project } from '../db/schema.js';
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

export async function isInstanceAdmin(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('is_admin').where('id', '=', userId).executeTakeFirst();
  return row?.is_admin === 1;
}

/** The user's grant on a project, narrowed by the credential's scope when it has one. */
export async function loadGrant(db: Kysely<Database>, userId: string, projectId: string, scope: TokenScope | null = null): Promise<Grant> {
  const [admin, access, project] = await Promise.all([
    isInstanceAdmin(db, userId),
    db.selectFrom('project_access').selectAll().where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('projects').select('owner_id').where('id', '=', projectId).executeTakeFirst(),
  ]);
  const limit = scope ? { limit: scopeLimitFor(scope, projectId) } : {};
  if (!access) return { isInstanceAdmin: admin, projectRole: null, typeRoles: {}, ...limit };
  const levels = fromColumns(access);
  return { isInstanceAdmin: admin, projectRole: levels.role, typeRoles: levels.typeRoles, isOwner: project?.owner_id === userId, ...limit };
}

/** Instance admin powers of this caller: a scoped credential has none. */
export async function callerIsInstanceAdmin(db: Kysely<Database>, principal: Principal): Promise<boolean> {
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
export async function loadProjectAccess(db: Kysely<Database>, principal: Principal, projectId: string): Promise<ProjectAccessContext> {
  const [project, grant] = await Promise.all([
    db.selectFrom('projects').selectAll().where('id', '=', projectId).executeTakeFirst(),
    loadGrant(db, principal.userId, projectId, principal.scope),
  ]);
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
