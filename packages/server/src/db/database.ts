import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './schema.js';
import { applyMigrations, assertSchemaNotNewer } from './schema-version.js';
import { createChangeFeed, type ChangeFeed } from './change-feed.js';
import { withStatementCache } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The database or an open transaction, for code that only passes one through to a store (so a
 * change and its audit entry commit together); queries themselves live in stores.
 */
export type DatabaseExecutor = Kysely<Database>;

/** An open transaction: what a write that must land with another one (its audit entry) takes. */
export type DatabaseTransaction = Transaction<Database>;

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Cross-process notifications (LISTEN/NOTIFY on PostgreSQL, a polled table on SQLite). */
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  logger: Logger;
  /** `false`: open as it is (`pier-server migrate`, backups); a newer schema is refused either way. */
  migrate?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl ? openPostgres(options.databaseUrl, options.logger) : openSqlite(options.dataDir, options.logger);
  try {
    if (options.migrate === false) await assertSchemaNotNewer(handle.db);
    else await applyMigrations(handle.db, (migration) => options.logger.info({ migration }, 'applied migration'));
    await handle.changes.ready();
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function openSqlite(dataDir: string, logger: Logger): DatabaseHandle {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'pier.sqlite');
  keepPrivate(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const changes = createChangeFeed({ kind: 'sqlite', db: db as Kysely<unknown>, logger });
  return {
    db,
    dialect: 'sqlite',
    changes,
    async close() {
      await changes.close();
      await db.destroy();
    },
  };
}

/**
 * The database holds password and token hashes and sealed values: owner-only, whatever the umask
 * or the data directory's mode. SQLite gives its -wal and -shm files the main file's mode.
 */
function keepPrivate(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(name)) fs.chmodSync(name, 0o600);
  }
}

function openPostgres(databaseUrl: string, logger: Logger): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL connection failed'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const changes = createChangeFeed({ kind: 'postgres', databaseUrl, pool, logger });
  return {
    db,
    dialect: 'postgres',
    changes,
    async close() {
      await changes.close();
      await db.destroy();
    },
  };
}

/** Whether the database answers a trivial query (readiness). */
export async function databaseAnswers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
