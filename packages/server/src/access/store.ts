import type { Kysely } from 'kysely';
import type { Database, ProjectAccess } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { toColumns, type AccessLevels } from './permissions.js';

export type AccessWithUser = ProjectAccess & { email: string; username: string; first_name: string; last_name: string };

export function listProjectAccess(db: Kysely<Database>, projectId: string): Promise<AccessWithUser[]> {
  return db
    .selectFrom('project_access')
    .innerJoin('users', 'users.id', 'project_access.user_id')
    .selectAll('project_access')
    .select(['users.email', 'users.username', 'users.first_name', 'users.last_name'])
    .where('project_access.project_id', '=', projectId)
    .orderBy('project_access.granted_at', 'asc')
    .execute();
}

export function findProjectAccess(db: Kysely<Database>, projectId: string, userId: string): Promise<AccessWithUser | undefined> {
  return db
    .selectFrom('project_access')
    .innerJoin('users', 'users.id', 'project_access.user_id')
    .selectAll('project_access')
    .select(['users.email', 'users.username', 'users.first_name', 'users.last_name'])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.user_id', '=', userId)
    .executeTakeFirst();
}

export function listAccessOfUser(db: Kysely<Database>, userId: string): Promise<Array<ProjectAccess & { project_title: string }>> {
  return db
    .selectFrom('project_access')
    .innerJoin('projects', 'projects.id', 'project_access.project_id')
    .selectAll('project_access')
    .select('projects.title as project_title')
    .where('project_access.user_id', '=', userId)
    .orderBy('project_access.granted_at', 'asc')
    .execute();
}

/** Grants or replaces a user's access to a project. */
export async function upsertProjectAccess(executor: Kysely<Database>, projectId: string, userId: string, levels: AccessLevels): Promise<void> {
  const now = isoNow();
  const columns = toColumns(levels);
  await executor
    .insertInto('project_access')
    .values({ project_id: projectId, user_id: userId, ...columns, granted_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ ...columns, updated_at: now }))
    .execute();
}

export async function deleteProjectAccess(executor: Kysely<Database>, projectId: string, userId: string): Promise<boolean> {
  const result = await executor.deleteFrom('project_access').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
