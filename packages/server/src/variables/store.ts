import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, VariableRow } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { ApiError } from '../http/errors.js';
import { open, seal } from '../secrets/sealed-box.js';
import { checkChange, flag } from './rules.js';
import { isUniqueViolation } from '../db/errors.js';
import type { VariableInput } from './schemas.js';

export const PROJECT_LEVEL = '';

/** Sensitive values are sealed with AES-256-GCM, bound to where the variable lives. */
export class VariableStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly encryptionKey: Buffer,
  ) {}

  list(projectId: string, environmentId: string): Promise<VariableRow[]> {
    return this.db.selectFrom('variables').selectAll().where('project_id', '=', projectId).where('environment_id', '=', environmentId).orderBy('name').execute();
  }

  /** Every environment-level row of a project, by environment. */
  async environmentRows(projectId: string): Promise<Map<string, VariableRow[]>> {
    const rows = await this.db.selectFrom('variables').selectAll().where('project_id', '=', projectId).where('environment_id', '!=', PROJECT_LEVEL).execute();
    const byEnvironment = new Map<string, VariableRow[]>();
    for (const row of rows) byEnvironment.set(row.environment_id, [...(byEnvironment.get(row.environment_id) ?? []), row]);
    return byEnvironment;
  }

  find(projectId: string, environmentId: string, name: string, executor: Kysely<Database> = this.db): Promise<VariableRow | undefined> {
    return executor
      .selectFrom('variables')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('environment_id', '=', environmentId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async create(executor: Kysely<Database>, projectId: string, environmentId: string, name: string, input: VariableInput & { value: string }): Promise<VariableRow> {
    checkChange(undefined, input, input.value);
    // Inside the caller's transaction: on SQLite a second connection would wait for this one.
    const duplicate = () => new ApiError('conflict', `The variable already exists: ${name}`, { field: 'name' });
    if (await this.find(projectId, environmentId, name, executor)) throw duplicate();
    const now = isoNow();
    const sensitive = flag(input.is_sensitive, 0);
    const row: VariableRow = {
      id: uuidv7(),
      project_id: projectId,
      environment_id: environmentId,
      name,
      value: sensitive ? this.seal(projectId, environmentId, name, input.value) : input.value,
      is_json: flag(input.is_json, 0),
      is_sensitive: sensitive,
      visible_build: flag(input.visible_build, 1),
      visible_runtime: flag(input.visible_runtime, 1),
      is_inheritable: flag(input.is_inheritable, 1),
      is_enabled: flag(input.is_enabled, 1),
      application_scope: JSON.stringify(input.application_scope ?? []),
      attributes: JSON.stringify(input.attributes ?? {}),
      created_at: now,
      updated_at: now,
    };
    try {
      await executor.insertInto('variables').values(row).execute();
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate() : error;
    }
    return row;
  }

  /** Applies a patch; returns the stored row and the names of the fields that changed. */
  async update(executor: Kysely<Database>, previous: VariableRow, input: VariableInput): Promise<{ row: VariableRow; changed: string[] }> {
    const plain = input.value ?? this.reveal(previous);
    checkChange(previous, input, plain);
    const sensitive = input.is_sensitive === undefined ? previous.is_sensitive : flag(input.is_sensitive, previous.is_sensitive);
    const row: VariableRow = {
      ...previous,
      value: sensitive ? this.seal(previous.project_id, previous.environment_id, previous.name, plain) : plain,
      is_json: flag(input.is_json, previous.is_json),
      is_sensitive: sensitive,
      visible_build: flag(input.visible_build, previous.visible_build),
      visible_runtime: flag(input.visible_runtime, previous.visible_runtime),
      is_inheritable: flag(input.is_inheritable, previous.is_inheritable),
      is_enabled: flag(input.is_enabled, previous.is_enabled),
      application_scope: input.application_scope ? JSON.stringify(input.application_scope) : previous.application_scope,
      attributes: input.attributes ? JSON.stringify(input.attributes) : previous.attributes,
      updated_at: isoNow(),
    };
    const changed = (Object.keys(input) as Array<keyof VariableInput>).filter((key) => key === 'value' || JSON.stringify(row[key]) !== JSON.stringify(previous[key]));
    await executor.updateTable('variables').set(row).where('id', '=', previous.id).execute();
    return { row, changed };
  }

  /** A child's own copy of an inherited variable, e.g. to switch it off there. */
  async override(executor: Kysely<Database>, inherited: VariableRow, environmentId: string, input: VariableInput): Promise<VariableRow> {
    const value = input.value ?? this.reveal(inherited);
    // The same rules as a change of the inherited row: a sensitive value never becomes readable here.
    checkChange(inherited, input, value);
    return this.create(executor, inherited.project_id, environmentId, inherited.name, {
      value,
      is_json: input.is_json ?? inherited.is_json === 1,
      is_sensitive: inherited.is_sensitive === 1 || input.is_sensitive === true,
      visible_build: input.visible_build ?? inherited.visible_build === 1,
      visible_runtime: input.visible_runtime ?? inherited.visible_runtime === 1,
      is_inheritable: input.is_inheritable ?? inherited.is_inheritable === 1,
      is_enabled: input.is_enabled ?? inherited.is_enabled === 1,
      application_scope: input.application_scope ?? (JSON.parse(inherited.application_scope) as string[]),
      attributes: input.attributes ?? (JSON.parse(inherited.attributes) as Record<string, string>),
    });
  }

  async delete(executor: Kysely<Database>, row: VariableRow): Promise<void> {
    await executor.deleteFrom('variables').where('id', '=', row.id).execute();
  }

  /** The plain value, for the runtime only: never for API responses. */
  reveal(row: VariableRow): string {
    return row.is_sensitive ? open(this.encryptionKey, row.value, context(row.project_id, row.environment_id, row.name)) : row.value;
  }

  private seal(projectId: string, environmentId: string, name: string, value: string): string {
    return seal(this.encryptionKey, value, context(projectId, environmentId, name));
  }
}

function context(projectId: string, environmentId: string, name: string): string {
  return `variable:${projectId}:${environmentId}:${name}`;
}
