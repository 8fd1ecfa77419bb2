import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, startPierServer, type DatabaseKind, type PierServer, type StartOptions, type TestDatabase } from './pier-server.js';

export interface ServerContext {
  server: PierServer;
  database: TestDatabase;
}

/** One real server per describe block, on a database of its own of the given kind (migrated ahead on PostgreSQL). */
export function usePierServer(kind: DatabaseKind, options: StartOptions = {}): ServerContext {
  const context = {} as ServerContext;
  beforeAll(async () => {
    context.database = await createTestDatabase(kind, { migrated: true });
    context.server = await startPierServer({ ...options, databaseUrl: context.database.url });
  });
  afterAll(async () => {
    await context.server?.stop();
    await context.database?.drop();
  });
  return context;
}
