import type { Kysely } from 'kysely';
import type { Database, ProjectAccess } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { toColumns, type AccessLevels } from './permissions.js';

export type AccessWithUser = ProjectAccess & { email: string; username: string; first_name: string; last_name: string };

/** Who may do what on which project: the project_access rows (roles by environment type). */
export class ProjectAccessStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The user's row on the project, without the user's details (what a grant is made of). */
  findRow(projectId: string, userId: string): Promise<ProjectAccess | undefined> {
    return this.db.selectFrom('project_access').selectAll().where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  }

  /** The project's access rows with the users' names, as listings show them. */
  private withUsers(projectId: string) {
    return this.db
      .selectFrom('project_access')
      .innerJoin('users', 'users.id', 'project_access.user_id')
      .selectAll('project_access')
      .select(['users.email', 'users.username', 'users.first_name', 'users.last_name'])
      .where('project_access.project_id', '=', projectId);
  }

  list(projectId: string): Promise<AccessWithUser[]> {
    return this.withUsers(projectId).orderBy('project_access.granted_at', 'asc').execute();
  }

  find(projectId: string, userId: string): Promise<AccessWithUser | undefined> {
    return this.withUsers(projectId).where('project_access.user_id', '=', userId).executeTakeFirst();
  }

  listOfUser(userId: string): Promise<Array<ProjectAccess & { project_title: string }>> {
    return this.db
      .selectFrom('project_access')
      .innerJoin('projects', 'projects.id', 'project_access.project_id')
      .selectAll('project_access')
      .select('projects.title as project_title')
      .where('project_access.user_id', '=', userId)
      .orderBy('project_access.granted_at', 'asc')
      .execute();
  }

  /** Grants or replaces a user's access to a project. */
  async upsert(executor: Kysely<Database>, projectId: string, userId: string, levels: AccessLevels): Promise<void> {
    const now = isoNow();
    const columns = toColumns(levels);
    await executor
      .insertInto('project_access')
      .values({ project_id: projectId, user_id: userId, ...columns, granted_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ ...columns, updated_at: now }))
      .execute();
  }

  /** Whether the user has a role on the project, read in the caller's transaction. */
  async exists(executor: Kysely<Database>, projectId: string, userId: string): Promise<boolean> {
    const row = await executor.selectFrom('project_access').select('user_id').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  async delete(executor: Kysely<Database>, projectId: string, userId: string): Promise<boolean> {
    const result = await executor.deleteFrom('project_access').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

