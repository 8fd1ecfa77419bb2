import path from 'node:path';
import type { Config } from '../config.js';
import { createLogger } from '../logging.js';
import { openDatabase } from '../db/database.js';
import { applyMigrations, NewerSchemaError, schemaStatus } from '../db/schema-version.js';
import { migrationNames } from '../db/migrations/index.js';
import type { CommandOutput } from './command-output.js';

/**
 * `pier-server migrate [--dry-run]`: brings the schema up to this version's, or lists what that
 * would run. Servers migrate at start too; this lets an upgrade migrate once, ahead of starting
 * the new servers, and shows what an upgrade will do.
 */
export async function migrateCommand(config: Config, dryRun: boolean, output: CommandOutput): Promise<number> {
  let database;
  try {
    database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger: createLogger('warn'), migrate: false });
  } catch (error) {
    if (error instanceof NewerSchemaError) {
      output.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    const status = await schemaStatus(database.db);
    const out = (line: string) => output.stdout(`${line}\n`);
    out(`Database: ${describeDatabase(config)}`);
    out(`Schema: ${status.applied.length} of ${migrationNames.length} migrations applied${status.applied.length ? ` (latest ${status.applied.at(-1)})` : ''}.`);
    if (status.pending.length === 0) {
      out('The schema is up to date: nothing to migrate.');
      return 0;
    }
    if (dryRun) {
      out(`Pending migrations, in the order they would run:`);
      for (const name of status.pending) out(`  ${name}`);
      out('Run `npx pier-server migrate` to apply them (after a backup: `npx pier-server backup FILE`).');
      return 0;
    }
    await applyMigrations(database.db, (name) => out(`Applied ${name}`));
    out(`The schema is up to date (${migrationNames.at(-1)}).`);
    return 0;
  } finally {
    await database.close();
  }
}

/** Which database, without its password. */
export function describeDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>): string {
  if (!config.databaseUrl) return `SQLite ${path.join(config.dataDir, 'pier.sqlite')}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`;
}
