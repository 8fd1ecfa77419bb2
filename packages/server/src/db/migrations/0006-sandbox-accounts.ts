import type { Kysely } from 'kysely';

/**
 * The Unix account (UID = GID) each environment's code runs as. A UID is never handed out twice,
 * even after its environment is gone, so files it left behind never change hands.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sandbox_accounts')
    .addColumn('uid', 'integer', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sandbox_accounts_environment', ['project_id', 'environment_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sandbox_accounts').execute();
}
