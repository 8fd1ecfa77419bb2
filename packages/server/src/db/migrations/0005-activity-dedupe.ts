import { sql, type Kysely } from 'kysely';

/** Scheduled activities (cron runs) carry a key so several schedulers never queue one run twice. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('activities').addColumn('dedupe_key', 'text').execute();
  await db.schema.createIndex('activities_dedupe').on('activities').column('dedupe_key').unique().where(sql.ref('dedupe_key'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('activities_dedupe').execute();
  await db.schema.alterTable('activities').dropColumn('dedupe_key').execute();
}
