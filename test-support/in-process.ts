/**
 * The server built in this test process (`buildApp` on real services, a fresh data directory and,
 * for PostgreSQL, a fresh database) and answered through Fastify `inject`: no socket, no child
 * process, the same routes, hooks, schemas and stores as `pier-server serve`. Route suites use it;
 * suites about processes, sockets and the binaries themselves keep `pier-server.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, createServices, createWorker, ensureInstanceAdmin, loadConfig, startMetrics, type Services } from './server-dist.js';
import { CapturedOutput } from './captured-output.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TEST_PASSWORD_HASH_COST, createTestDatabase, type DatabaseKind, type TestDatabase } from './pier-server.js';

/** Links in responses start with the public URL; requests never leave the process. */
const PUBLIC_URL = 'http://pier.test';

export interface InProcessServer {
  /** The public URL: the base of every link the server writes, and of the typed client. */
  readonly url: string;
  readonly dataDir: string;
  /** The settings it runs with, so that `serverCommand` runs admin commands against it. */
  readonly env: Record<string, string>;
  readonly app: FastifyInstance;
  readonly services: Services;
  /** A `fetch` answered by `app.inject` (what the typed client and raw requests go through). */
  fetch(request: Request): Promise<Response>;
  /** Runs the activity worker, cron scheduler and expiry notices in this process until stopped. */
  startWorker(): { stop(): Promise<void> };
  /** Every log line the server wrote so far (JSON lines). */
  output(): string;
}

export interface InProcessContext {
  server: InProcessServer;
  database: TestDatabase;
}

export interface InProcessOptions {
  /** Settings as `pier-server` reads them (PIER_BACKUP_RETENTION, SMTP_URL, …). */
  env?: Record<string, string>;
  /** Run the worker from the start (`serve`); default off (`api`), see `startWorker`. */
  worker?: boolean;
  /** Start on this data directory (a restart) and leave it in place on close; default a fresh one. */
  dataDir?: string;
}

/** One in-process server per describe block, on a database of its own (migrated ahead on PostgreSQL, as `usePierServer`'s). */
export function useInProcessServer(kind: DatabaseKind, options: InProcessOptions = {}): InProcessContext {
  const context = {} as InProcessContext;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    context.database = await createTestDatabase(kind, { migrated: true });
    const started = await startInProcessServer(context.database, options);
    context.server = started.server;
    close = started.close;
  });
  afterAll(async () => {
    await close?.();
    await context.database?.drop();
  });
  return context;
}

export async function startInProcessServer(database: TestDatabase, options: InProcessOptions = {}): Promise<{ server: InProcessServer; close(): Promise<void> }> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pier-inproc-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PIER_DATA_DIR: dataDir,
    PIER_PUBLIC_URL: PUBLIC_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    PIER_ADMIN_EMAIL: ADMIN_EMAIL,
    PIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PIER_PASSWORD_HASH_COST: TEST_PASSWORD_HASH_COST,
    PIER_LOG_LEVEL: 'info',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const output = new CapturedOutput();
  const services = await createServices(config, output.logger(config.logLevel));
  const workers = new Set<{ stop(): Promise<void> }>();
  const startWorker = () => {
    const worker = createWorker(services);
    worker.start();
    const handle = {
      async stop() {
        workers.delete(handle);
        await worker.stop();
      },
    };
    workers.add(handle);
    return handle;
  };
  let app: FastifyInstance;
  let metrics: { close(): Promise<void> };
  try {
    await ensureInstanceAdmin(services);
    app = await buildApp(services);
    await app.ready();
    // As `serve` does: with PIER_METRICS_TOKEN, the gauges behind GET /metrics.
    metrics = await startMetrics(services, PUBLIC_URL);
  } catch (error) {
    await services.close();
    throw error;
  }
  if (options.worker) startWorker();
  const server: InProcessServer = {
    url: PUBLIC_URL,
    dataDir,
    env,
    app,
    services,
    fetch: (request) => injectFetch(app, request),
    startWorker,
    output: () => output.text,
  };
  return {
    server,
    async close() {
      await metrics.close();
      await app.close();
      for (const worker of [...workers]) await worker.stop();
      await services.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Statuses whose responses carry no body (the Response constructor refuses one). */
const bodiless = new Set([101, 204, 205, 304]);

async function injectFetch(app: FastifyInstance, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const payload = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const answer = await app.inject({
    method: request.method as 'GET',
    url: url.pathname + url.search,
    headers: Object.fromEntries(request.headers),
    ...(payload ? { payload } : {}),
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
  }
  return new Response(bodiless.has(answer.statusCode) ? null : new Uint8Array(answer.rawPayload), { status: answer.statusCode, headers });
}
