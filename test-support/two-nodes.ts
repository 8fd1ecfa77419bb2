import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, startPierServer, type DatabaseKind, type PierServer, type TestDatabase } from './pier-server.js';

export interface TwoNodes {
  first: PierServer;
  second: PierServer;
  stop(): Promise<void>;
}

/**
 * Two server processes of one installation. On SQLite they share one data directory (`pier-server
 * api` twice: news travels through the file's change relay); on PostgreSQL they are two nodes with
 * their own data directories sharing the database, the secrets key and the public URL (the token
 * issuer): news travels by LISTEN/NOTIFY.
 */
export async function startTwoNodes(kind: DatabaseKind): Promise<TwoNodes> {
  let database: TestDatabase | undefined;
  let first: PierServer;
  let second: PierServer;
  if (kind === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-shared-'));
    first = await startPierServer({ dataDir, args: ['api'] });
    second = await startPierServer({ dataDir, args: ['api'] });
  } else {
    database = await createTestDatabase('postgres', { migrated: true });
    const shared = { PIER_SECRETS_KEY: 'k'.repeat(48), PIER_PUBLIC_URL: 'http://pier.internal.test' };
    const [firstDir, secondDir] = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'pier-node-')));
    first = await startPierServer({ dataDir: firstDir, databaseUrl: database.url, env: shared });
    second = await startPierServer({ dataDir: secondDir, databaseUrl: database.url, env: shared });
  }
  return {
    first,
    second,
    async stop() {
      await first.stop();
      await second.stop();
      await database?.drop();
    },
  };
}
