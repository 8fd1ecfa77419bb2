import { Migrator, type Kysely } from 'kysely';
import { migrationNames, migrationProvider } from './migrations/index.js';

/** Where a database's schema stands against the migrations this server carries. */
export interface SchemaStatus {
  /** Migrations already run on the database, oldest first. */
  applied: string[];
  /** Migrations this server would run. */
  pending: string[];
  /** Migrations the database has run that this server does not know: a newer Pier migrated it. */
  unknown: string[];
}

/** The server refuses a database a newer version migrated: its code may not read the new schema. */
export class NewerSchemaError extends Error {
  constructor(readonly unknown: string[]) {
    const latest = migrationNames.at(-1);
    super(
      `This database was migrated by a newer version of Pier: it has ${unknown.join(', ')}, which this version does not know (its latest is ${latest}). ` +
        'Run the newer pier-server, or restore a backup made with this version: downgrades are not supported.',
    );
    this.name = 'NewerSchemaError';
  }
}

/** Kysely's own bookkeeping table, present once any migration ran. */
interface MigrationTable {
  kysely_migration: { name: string; timestamp: string };
}

export async function schemaStatus<DB>(database: Kysely<DB>): Promise<SchemaStatus> {
  const db = database as unknown as Kysely<MigrationTable>;
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const applied = tables.some((t) => t.name === 'kysely_migration')
    ? (await db.selectFrom('kysely_migration').select('name').orderBy('name').execute()).map((row) => row.name)
    : [];
  const known = new Set(migrationNames);
  const done = new Set(applied);
  return { applied, pending: migrationNames.filter((name) => !done.has(name)), unknown: applied.filter((name) => !known.has(name)) };
}

export async function assertSchemaNotNewer<DB>(db: Kysely<DB>): Promise<SchemaStatus> {
  const status = await schemaStatus(db);
  if (status.unknown.length > 0) throw new NewerSchemaError(status.unknown);
  return status;
}

/** Runs the pending migrations in order; each name is reported once it is committed. */
export async function applyMigrations<DB>(db: Kysely<DB>, onApplied: (name: string) => void): Promise<void> {
  await assertSchemaNotNewer(db);
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  for (const result of results ?? []) if (result.status === 'Success') onApplied(result.migrationName);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `Migration ${failed} failed: ${reason}` : reason);
  }
}
