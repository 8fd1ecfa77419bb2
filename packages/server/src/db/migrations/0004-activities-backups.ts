import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    // '' for project-level activities; the queue runs one activity per environment at a time.
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('completion_percent', 'integer', (c) => c.notNull())
    .addColumn('cancellable', 'integer', (c) => c.notNull())
    .addColumn('cancel_requested', 'integer', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_email', 'text')
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('api_token_id', 'text')
    .addColumn('api_token_name', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema.createIndex('activities_queue').on('activities').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('activities_project').on('activities').columns(['project_id', 'created_at']).execute();

  await db.schema
    .createTable('activity_log')
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_log_pk', ['activity_id', 'seq'])
    .execute();

  await db.schema
    .createTable('backups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('safe', 'integer', (c) => c.notNull())
    .addColumn('restorable', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('sha256', 'text')
    .addColumn('size_used', 'integer', (c) => c.notNull())
    .addColumn('commit_id', 'text')
    .addColumn('manifest', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .execute();
  // A safe backup pauses writes to the environment: writers (SSH, runtime) check this column.
  await db.schema.alterTable('environments').addColumn('writes_paused_by', 'text').execute();

  await db.schema.createIndex('backups_environment').on('backups').columns(['project_id', 'environment_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('environments').dropColumn('writes_paused_by').execute();
  for (const table of ['backups', 'activity_log', 'activities']) await db.schema.dropTable(table).execute();
}
