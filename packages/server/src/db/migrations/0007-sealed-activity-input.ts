import type { Kysely } from 'kysely';

/**
 * Values an activity's run needs but no viewer of the activity may read (a source operation's
 * variables): sealed with the instance key, and cleared when the activity finishes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('activities').addColumn('sealed_input', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('activities').dropColumn('sealed_input').execute();
}
