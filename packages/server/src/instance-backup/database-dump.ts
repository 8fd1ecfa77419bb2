import { spawn } from 'node:child_process';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';

/**
 * Consistent copies of the database while the server runs, and back: SQLite through its online
 * backup API, PostgreSQL through pg_dump/pg_restore (Debian's postgresql-client). Passwords go
 * to those tools in `PGPASSWORD`, never on a command line another user could read in `ps`.
 */

export async function snapshotSqlite(dataDir: string, destination: string): Promise<void> {
  const source = new SQLite(path.join(dataDir, 'pier.sqlite'), { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // The rest in one step: a step holds a read transaction, which in WAL mode blocks no writer,
    // and a write between small steps would restart the copy.
    await source.backup(destination, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
  } finally {
    source.close();
  }
}

/** The migrations a SQLite snapshot has run, oldest first. */
export function sqliteSchema(file: string): string[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((row) => row.name);
  } finally {
    db.close();
  }
}

export async function postgresSchema(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/** Tables in the database's public schema: a restore goes only into an empty database. */
export async function postgresTableCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>(`select count(*) from pg_tables where schemaname = 'public'`)).rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

/** pg_dump's custom format: compressed, and restorable table by table with pg_restore. */
export function dumpPostgres(databaseUrl: string, destination: string): Promise<void> {
  return runPostgresTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${destination}`], databaseUrl);
}

export function restorePostgres(databaseUrl: string, dump: string): Promise<void> {
  return runPostgresTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', dump], databaseUrl);
}

function runPostgresTool(tool: string, args: string[], databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${url.toString()}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(`${tool} is not installed. On Debian: apt-get install postgresql-client (the server's major version or newer).`) : error),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} failed (status ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`))));
  });
}
