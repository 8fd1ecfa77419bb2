import type { Kysely } from 'kysely';
import type { Database, Environment, EnvironmentType, Project } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { ApiError } from '../http/errors.js';
import { newMachineName } from '../projects/ids.js';
import { isUniqueViolation } from '../db/errors.js';

/** Environments: one per branch of a project, found by branch or machine name. */
export class EnvironmentStore {
  constructor(private readonly db: Kysely<Database>) {}

  list(projectId: string): Promise<Environment[]> {
    return this.db.selectFrom('environments').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'asc').execute();
  }

  /** Finds by branch name, or by machine name as the Platform.sh CLI also allows. */
  find(projectId: string, idOrMachineName: string): Promise<Environment | undefined> {
    return this.db
      .selectFrom('environments')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('id', '=', idOrMachineName), eb('machine_name', '=', idOrMachineName)]))
      .orderBy('created_at', 'asc')
      .executeTakeFirst();
  }

  async require(projectId: string, idOrMachineName: string): Promise<Environment> {
    const environment = await this.find(projectId, idOrMachineName);
    if (!environment) throw new ApiError('not_found', `Environment not found: ${idOrMachineName}`);
    return environment;
  }

  /** The environment of exactly this branch (a push names branches, never machine names). */
  findByBranch(projectId: string, branch: string): Promise<Environment | undefined> {
    return this.db.selectFrom('environments').selectAll().where('project_id', '=', projectId).where('id', '=', branch).executeTakeFirst();
  }

  /** Active environments with code: the ones crons may run in. */
  listActiveWithCode(): Promise<Environment[]> {
    return this.db.selectFrom('environments').selectAll().where('status', '=', 'active').where('head_commit', 'is not', null).execute();
  }

  async existsByMachineName(projectId: string, machineName: string): Promise<boolean> {
    const row = await this.db.selectFrom('environments').select('id').where('project_id', '=', projectId).where('machine_name', '=', machineName).executeTakeFirst();
    return row !== undefined;
  }

  /** Every environment's project and machine name, in order (the SSH gateway's login names). */
  listMachineNames(): Promise<Array<{ project_id: string; machine_name: string }>> {
    return this.db.selectFrom('environments').select(['project_id', 'machine_name']).orderBy('project_id').orderBy('machine_name').execute();
  }

  async createChild(executor: Kysely<Database>, parent: Environment, input: { name: string; title: string; type: EnvironmentType }): Promise<Environment> {
    const duplicate = () => new ApiError('conflict', `An environment named "${input.name}" already exists.`, { field: 'name' });
    if (await new EnvironmentStore(executor).find(parent.project_id, input.name)) throw duplicate();
    const now = isoNow();
    const environment: Environment = {
      project_id: parent.project_id,
      id: input.name,
      machine_name: newMachineName(input.name),
      title: input.title,
      type: input.type,
      parent: parent.id,
      status: 'active',
      head_commit: parent.head_commit,
      writes_paused_by: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await executor.insertInto('environments').values(environment).execute();
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate() : error;
    }
    return environment;
  }

  /** A pushed branch with no environment becomes an inactive development one. */
  async createFromPush(executor: Kysely<Database>, project: Project, branch: string, commit: string): Promise<void> {
    const now = isoNow();
    await executor
      .insertInto('environments')
      .values({
        project_id: project.id,
        id: branch,
        machine_name: newMachineName(branch),
        title: branch,
        type: 'development',
        parent: project.default_branch,
        status: 'inactive',
        head_commit: commit,
        writes_paused_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  async setHeadCommit(executor: Kysely<Database>, projectId: string, branch: string, commit: string): Promise<void> {
    await executor.updateTable('environments').set({ head_commit: commit, updated_at: isoNow() }).where('project_id', '=', projectId).where('id', '=', branch).execute();
  }

  async update(executor: Kysely<Database>, environment: Environment, changes: Partial<Pick<Environment, 'title' | 'status'>>): Promise<void> {
    await executor
      .updateTable('environments')
      .set({ ...changes, updated_at: isoNow() })
      .where('project_id', '=', environment.project_id)
      .where('id', '=', environment.id)
      .execute();
  }
}

