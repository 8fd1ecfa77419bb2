import type { Kysely } from 'kysely';
import type { Database, Environment, EnvironmentType } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { ApiError } from '../http/errors.js';
import { newMachineName } from '../projects/ids.js';
import { isUniqueViolation } from '../db/errors.js';

export function listEnvironments(db: Kysely<Database>, projectId: string): Promise<Environment[]> {
  return db.selectFrom('environments').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'asc').execute();
}

/** Finds by branch name, or by machine name as the Platform.sh CLI also allows. */
export async function findEnvironment(db: Kysely<Database>, projectId: string, idOrMachineName: string): Promise<Environment | undefined> {
  return db
    .selectFrom('environments')
    .selectAll()
    .where('project_id', '=', projectId)
    .where((eb) => eb.or([eb('id', '=', idOrMachineName), eb('machine_name', '=', idOrMachineName)]))
    .orderBy('created_at', 'asc')
    .executeTakeFirst();
}

export async function requireEnvironment(db: Kysely<Database>, projectId: string, idOrMachineName: string): Promise<Environment> {
  const environment = await findEnvironment(db, projectId, idOrMachineName);
  if (!environment) throw new ApiError('not_found', `Environment not found: ${idOrMachineName}`);
  return environment;
}

export async function createChildEnvironment(
  executor: Kysely<Database>,
  parent: Environment,
  input: { name: string; title: string; type: EnvironmentType },
): Promise<Environment> {
  const duplicate = () => new ApiError('conflict', `An environment named "${input.name}" already exists.`, { field: 'name' });
  if (await findEnvironment(executor, parent.project_id, input.name)) throw duplicate();
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

export async function updateEnvironment(
  executor: Kysely<Database>,
  environment: Environment,
  changes: Partial<Pick<Environment, 'title' | 'status'>>,
): Promise<void> {
  await executor
    .updateTable('environments')
    .set({ ...changes, updated_at: isoNow() })
    .where('project_id', '=', environment.project_id)
    .where('id', '=', environment.id)
    .execute();
}
