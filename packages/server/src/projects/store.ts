import type { Kysely, Transaction } from 'kysely';
import type { Database, Environment, Project } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { newMachineName, newProjectId } from './ids.js';

/** Projects and what is created or removed with them (their environments, access, rows). */
export class ProjectStore {
  constructor(private readonly db: Kysely<Database>) {}

  find(projectId: string): Promise<Project | undefined> {
    return this.db.selectFrom('projects').selectAll().where('id', '=', projectId).executeTakeFirst();
  }

  /** A project that must exist (an activity's, say): throws if it does not. */
  get(projectId: string): Promise<Project> {
    return this.db.selectFrom('projects').selectAll().where('id', '=', projectId).executeTakeFirstOrThrow();
  }

  async create(
    trx: Transaction<Database>,
    input: { title: string; ownerId: string; defaultBranch: string },
  ): Promise<{ project: Project; main: Environment }> {
    const now = isoNow();
    const project: Project = {
      id: newProjectId(),
      title: input.title,
      owner_id: input.ownerId,
      default_branch: input.defaultBranch,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('projects').values(project).execute();
    const main: Environment = {
      project_id: project.id,
      id: input.defaultBranch,
      machine_name: newMachineName(input.defaultBranch),
      title: input.defaultBranch,
      type: 'production',
      parent: null,
      status: 'active',
      head_commit: null,
      writes_paused_by: null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('environments').values(main).execute();
    await trx
      .insertInto('project_access')
      .values({
        project_id: project.id,
        user_id: input.ownerId,
        role: 'admin',
        production_role: null,
        staging_role: null,
        development_role: null,
        granted_at: now,
        updated_at: now,
      })
      .execute();
    return { project, main };
  }

  /** Projects the user can see: all of them for instance admins, else those with an access row. */
  listVisible(userId: string, instanceAdmin: boolean): Promise<Project[]> {
    if (instanceAdmin) return this.db.selectFrom('projects').selectAll().orderBy('created_at', 'asc').execute();
    return this.db
      .selectFrom('projects')
      .innerJoin('project_access', 'project_access.project_id', 'projects.id')
      .selectAll('projects')
      .where('project_access.user_id', '=', userId)
      .orderBy('projects.created_at', 'asc')
      .execute();
  }

  async updateTitle(executor: Kysely<Database>, projectId: string, title: string): Promise<void> {
    await executor.updateTable('projects').set({ title, updated_at: isoNow() }).where('id', '=', projectId).execute();
  }

  /**
   * Removes every row of the project except its audit trail, which records who did what (the
   * deletion included) after the project is gone.
   */
  async delete(executor: Kysely<Database>, projectId: string): Promise<void> {
    // Child rows go first so this works without relying on ON DELETE CASCADE being enabled.
    await executor
      .deleteFrom('activity_log')
      .where('activity_id', 'in', (eb) => eb.selectFrom('activities').select('id').where('project_id', '=', projectId))
      .execute();
    for (const table of ['activities', 'backups', 'variables', 'invitations', 'project_access', 'environments'] as const) {
      await executor.deleteFrom(table).where('project_id', '=', projectId).execute();
    }
    await executor.deleteFrom('projects').where('id', '=', projectId).execute();
  }

  /** Every project, oldest first (an instance admin's implicit access, in the order it was created). */
  listByAge(): Promise<Pick<Project, 'id' | 'created_at'>[]> {
    return this.db.selectFrom('projects').select(['id', 'created_at']).orderBy('created_at', 'asc').execute();
  }

  /** Whether a worker is running one of the project's activities (it would write files back). */
  async hasRunningActivity(executor: Kysely<Database>, projectId: string): Promise<boolean> {
    const row = await executor.selectFrom('activities').select('id').where('project_id', '=', projectId).where('state', '=', 'in_progress').executeTakeFirst();
    return row !== undefined;
  }
}

