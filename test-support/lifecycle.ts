import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, startPierServer, type DatabaseKind, type PierServer, type SpawnedServer, type StartOptions, type TestDatabase } from './pier-server.js';
import { startListeningServer, type ListeningOptions } from './listening-server.js';

export interface ServerContext<Server extends PierServer = PierServer> {
  server: Server;
  database: TestDatabase;
}

function useServer<Server extends PierServer>(kind: DatabaseKind, start: (databaseUrl: string | undefined) => Promise<Server>): ServerContext<Server> {
  const context = {} as ServerContext<Server>;
  beforeAll(async () => {
    context.database = await createTestDatabase(kind, { migrated: true });
    context.server = await start(context.database.url);
  });
  afterAll(async () => {
    await context.server?.stop();
    await context.database?.drop();
  });
  return context;
}

/**
 * One server per describe block, in this process and listening on loopback (listening-server.ts),
 * on a database of its own of the given kind (migrated ahead on PostgreSQL).
 */
export function useListeningServer(kind: DatabaseKind, options: Omit<ListeningOptions, 'databaseUrl'> = {}): ServerContext {
  return useServer(kind, (databaseUrl) => startListeningServer({ ...options, databaseUrl }));
}

/** The same with the built binary in a process of its own: for suites about the binary or its process. */
export function usePierServer(kind: DatabaseKind, options: Omit<StartOptions, 'databaseUrl'> = {}): ServerContext<SpawnedServer> {
  return useServer(kind, (databaseUrl) => startPierServer({ ...options, databaseUrl }));
}
