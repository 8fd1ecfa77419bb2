import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestDatabase } from './pier-server.js';

/** A spawned or an in-process server: where its files are, and its database. */
interface ServerFiles {
  server: { dataDir: string };
  database: TestDatabase;
}

/**
 * Reads rows straight from a test server's database, for what the API rightly never shows (sealed
 * columns, internal flags). `query` uses `?` placeholders; they become `$1…` on PostgreSQL.
 */
export async function databaseRows(ctx: ServerFiles, query: string, parameters: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  if (ctx.database.kind === 'sqlite') {
    const db = new Database(path.join(ctx.server.dataDir, 'pier.sqlite'), { readonly: true });
    try {
      return db.prepare(query).all(...parameters) as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: ctx.database.url });
  await client.connect();
  try {
    let index = 0;
    return (await client.query(query.replace(/\?/g, () => `$${++index}`), parameters)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
