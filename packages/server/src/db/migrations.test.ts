/**
 * Upgrades: from every earlier schema version, on both databases, `pier-server migrate` brings
 * the schema to exactly what a fresh installation gets, keeps the data, and a newer database is
 * refused with a message rather than read. The built binary runs the fresh installation and the
 * refusal; the upgrade from each version runs the same command line in process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD_HASH_COST, createTestDatabase, databaseKinds, runServerCommand, serverBin, spawnServerCommand, type DatabaseKind, type TestDatabase } from '../../../../test-support/pier-server.js';
import { startInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { migrationNames, migrationProvider } from './migrations/index.js';
import { PasswordHasher } from '../users/passwords.js';

interface Installation {
  kind: DatabaseKind;
  dataDir: string;
  database: TestDatabase;
  env: Record<string, string>;
}

async function newInstallation(kind: DatabaseKind): Promise<Installation> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-migrate-'));
  const database = await createTestDatabase(kind);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', PIER_DATA_DIR: dataDir, PIER_LOG_LEVEL: 'warn', ...(database.url ? { DATABASE_URL: database.url } : {}) };
  return { kind, dataDir, database, env };
}

function kysely(installation: Installation): Kysely<unknown> {
  if (installation.database.url) return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: installation.database.url, max: 1 }) }) });
  return new Kysely({ dialect: new SqliteDialect({ database: new SQLite(path.join(installation.dataDir, 'pier.sqlite')) }) });
}

/** The schema as the database describes it: tables, columns, indexes and constraints. */
async function schemaOf(installation: Installation): Promise<string> {
  if (!installation.database.url) {
    const db = new SQLite(path.join(installation.dataDir, 'pier.sqlite'), { readonly: true });
    try {
      return JSON.stringify(db.prepare(`select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`).all());
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: installation.database.url });
  await client.connect();
  try {
    const queries = [
      `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = 'public' order by 1, 2`,
      `select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1`,
      `select conname, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = 'public'::regnamespace order by 1`,
    ];
    const results = [];
    for (const query of queries) results.push((await client.query(query)).rows);
    return JSON.stringify(results);
  } finally {
    await client.end();
  }
}

/** `pier-server ARGS` against an installation: the binary, or (the upgrade matrix) the same command line in process. */
const pierServer = (installation: Installation, args: string[]) => spawnServerCommand(installation.env, args);
const pierServerInProcess = (installation: Installation, args: string[]) => runServerCommand(installation.env, args);

describe.each(databaseKinds())('migrations (%s)', { timeout: 120_000 }, (kind) => {
  const installations: Installation[] = [];
  const install = async () => {
    const installation = await newInstallation(kind);
    installations.push(installation);
    return installation;
  };
  afterAll(async () => {
    for (const installation of installations) {
      await installation.database.drop();
      fs.rmSync(installation.dataDir, { recursive: true, force: true });
    }
  });

  let freshSchema = '';
  it('lists every migration on an empty database, and applies them', async () => {
    const fresh = await install();
    const dryRun = await pierServer(fresh, ['migrate', '--dry-run']);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain(`Schema: 0 of ${migrationNames.length} migrations applied.`);
    expect(dryRun.stdout.match(/^ {2}\d{4}-.*$/gm)).toEqual(migrationNames.map((name) => `  ${name}`));
    const applied = await pierServer(fresh, ['migrate']);
    expect(applied.stdout.match(/^Applied .*$/gm)).toEqual(migrationNames.map((name) => `Applied ${name}`));
    expect((await pierServerInProcess(fresh, ['migrate', '--dry-run'])).stdout).toContain('The schema is up to date: nothing to migrate.');
    freshSchema = await schemaOf(fresh);
  });

  it.each(migrationNames.slice(0, -1).map((name, index) => [name, index + 1] as const))('upgrades a database at %s, keeping its data', async (version, appliedCount) => {
    const old = await install();
    const db = kysely(old);
    try {
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(version);
      expect(error).toBeUndefined();
      // Someone who could log in before the upgrade (users exist since the first migration).
      const now = new Date().toISOString();
      await db
        .insertInto('users' as never)
        .values({ id: randomUUID(), username: 'early', email: 'early@example.com', password_hash: await new PasswordHasher(Number(TEST_PASSWORD_HASH_COST)).hash('an early password'), is_admin: 1, email_verified: 1, created_at: now, updated_at: now } as never)
        .execute();
    } finally {
      await db.destroy();
    }

    const pending = migrationNames.slice(appliedCount);
    const dryRun = await pierServerInProcess(old, ['migrate', '--dry-run']);
    expect(dryRun.stdout).toContain(`Schema: ${appliedCount} of ${migrationNames.length} migrations applied (latest ${version}).`);
    expect(dryRun.stdout.match(/^ {2}\d{4}-.*$/gm)).toEqual(pending.map((name) => `  ${name}`));
    expect(await schemaOf(old)).not.toBe(freshSchema);

    const applied = await pierServerInProcess(old, ['migrate']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout.match(/^Applied .*$/gm)).toEqual(pending.map((name) => `Applied ${name}`));
    expect(await schemaOf(old)).toBe(freshSchema);

    // The upgraded installation serves (in process: the spawned commands above are what this
    // suite is about; server-smoke.test.ts starts the binary).
    const upgraded = await startInProcessServer(old.database, { dataDir: old.dataDir });
    try {
      const login = await rawRequest(upgraded.server, '/auth/login', { json: { email: 'early@example.com', password: 'an early password' } });
      expect(login.status).toBe(200);
    } finally {
      await upgraded.close();
    }
  });

  it('refuses a database migrated by a newer Pier, at migrate and at start', async () => {
    const newer = await install();
    expect((await pierServerInProcess(newer, ['migrate'])).code).toBe(0);
    const db = kysely(newer);
    try {
      await db.insertInto('kysely_migration' as never).values({ name: '9999-from-a-newer-pier', timestamp: new Date().toISOString() } as never).execute();
    } finally {
      await db.destroy();
    }
    const migrate = await pierServer(newer, ['migrate', '--dry-run']);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('This database was migrated by a newer version of Pier: it has 9999-from-a-newer-pier');

    const server = spawn(process.execPath, [serverBin], { env: { ...newer.env, PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => server.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Run the newer pier-server, or restore a backup made with this version');
    expect(stderr).not.toContain('    at ');
  });
});
