/**
 * Starts a real `pier-server` (the built binary) as a child process on a free loopback port with
 * a fresh data directory, and on a fresh PostgreSQL database when asked. Tests talk to it over
 * real HTTP, exactly as users do.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from './ports.js';
import { loadServerBuild } from './server-build.js';
import type * as CommandLine from '../packages/server/dist/command-line.js';

export { freePort };

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const serverBin = path.join(repoRoot, 'packages/server/bin/pier-server.js');
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct horse battery staple';
/**
 * The cheapest password hashes the server allows (scrypt N=2^10, ~2 ms instead of ~160 ms): test
 * servers hash hundreds of passwords a run (every start, every test user) and need none of the
 * cost. Rails and Django lower their hashers' cost in tests the same way.
 */
export const TEST_PASSWORD_HASH_COST = '10';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The databases the suite runs on: SQLite always, PostgreSQL when PIER_TEST_DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.PIER_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  kind: DatabaseKind;
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A database of its own for one installation. Empty by default; `migrated`: on PostgreSQL a copy
 * of the template global-setup.ts migrated (when there is one), which a server starts on without
 * migrating, as after a restart.
 */
export async function createTestDatabase(kind: DatabaseKind, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (kind === 'sqlite') return { kind, url: undefined, drop: async () => undefined };
  const adminUrl = process.env.PIER_TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('PIER_TEST_DATABASE_URL is not set');
  const name = `pier_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const template = options.migrated ? process.env.PIER_TEST_TEMPLATE_DATABASE : undefined;
  // PostgreSQL 15 copies a template block by block through the WAL by default; copying its files
  // costs the server about a third less CPU for databases this small (a hundred or so a run).
  const { rows } = await admin.query<{ server_version_num: string }>('SHOW server_version_num');
  const strategy = Number(rows[0]!.server_version_num) >= 150000 ? ' STRATEGY FILE_COPY' : '';
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}${strategy}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface StartOptions {
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Run the server (and its admin commands) as this unprivileged user instead of the test's. */
  uid?: number;
  /** The pier-server command and its arguments (default: serve). */
  args?: string[];
}

/** A running `pier-server serve` (or `api`), in this process or spawned, reached over loopback HTTP. */
export interface PierServer {
  url: string;
  dataDir: string;
  env: Record<string, string>;
  uid?: number;
  /** Everything the server wrote so far (its log lines and start banner). */
  output(): string;
  stop(): Promise<void>;
}

/** The built binary in a process of its own. */
export interface SpawnedServer extends PierServer {
  process: ChildProcess;
}

/** The settings a test server runs with: a data directory and a port of its own, cheap password hashes. */
export function testServerEnv(dataDir: string, port: number, options: Pick<StartOptions, 'databaseUrl' | 'env'>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    PIER_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PIER_ADMIN_EMAIL: ADMIN_EMAIL,
    PIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PIER_PASSWORD_HASH_COST: TEST_PASSWORD_HASH_COST,
    PIER_LOG_LEVEL: 'info',
    // The run's temporary folder (global-setup.ts): what a killed server or worker leaves behind
    // goes with the run.
    TMPDIR: os.tmpdir(),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
}

export async function startPierServer(options: StartOptions = {}): Promise<SpawnedServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pier-test-'));
  if (options.uid !== undefined) fs.chownSync(dataDir, options.uid, options.uid);
  const port = await freePort();
  const env = testServerEnv(dataDir, port, options);
  // The run's temporary folder is not another user's to write in: such a server uses the system's.
  if (options.uid !== undefined) delete env.TMPDIR;
  const asUser = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  const child = spawn(process.execPath, [serverBin, ...(options.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'], ...asUser });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, () => output);
  return {
    url,
    dataDir,
    env,
    uid: options.uid,
    process: child,
    output: () => output,
    stop: () => stopProcess(child),
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pier-server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`pier-server did not become ready:\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `pier-server ARGS` as an operator runs it: the built binary, in a process of its own. */
export async function spawnServerCommand(env: Record<string, string>, args: string[], uid?: number): Promise<CommandResult> {
  const asUser = uid === undefined ? {} : { uid, gid: uid };
  return run(process.execPath, [serverBin, ...args], { env, ...asUser }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CommandResult) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/**
 * The same command line in this process: what the binary runs (arguments, configuration from
 * `env`, exit codes, messages), without paying about a second of CPU to start a process each
 * time. Loaded from the build by Node itself, like the in-process server (server-dist.ts).
 */
export async function runServerCommand(env: Record<string, string>, args: string[]): Promise<CommandResult> {
  const { runCommandLine } = loadServerBuild<typeof CommandLine>('command-line.js');
  let stdout = '';
  let stderr = '';
  const code = await runCommandLine(args, { env, output: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) } });
  return { code, stdout, stderr };
}

/**
 * Runs a `pier-server` admin command against a server's data directory and database: its
 * stdout, or a rejection carrying the result. In process, unless the server runs as another
 * user (then the command must too).
 */
export async function serverCommand(server: Pick<PierServer, 'env' | 'uid'>, args: string[]): Promise<string> {
  const result = server.uid === undefined ? await runServerCommand(server.env, args) : await spawnServerCommand(server.env, args, server.uid);
  if (result.code !== 0) throw Object.assign(new Error(`pier-server ${args.join(' ')} exited with ${result.code}: ${result.stderr}`), result);
  return result.stdout;
}

/** Creates a user with `pier-server user:create` and returns the new user's id. */
export async function createUser(server: Pick<PierServer, 'env' | 'uid'>, email: string, admin = false): Promise<string> {
  const output = await serverCommand(server, ['user:create', email, ...(admin ? ['--admin'] : [])]);
  const id = /\(id ([0-9a-f-]{36})\)/.exec(output)?.[1];
  if (!id) throw new Error(`unexpected user:create output: ${output}`);
  return id;
}

export async function createApiToken(server: Pick<PierServer, 'env' | 'uid'>, email: string, name: string): Promise<string> {
  return (await serverCommand(server, ['user:create-token', email, '--name', name])).trim();
}

/** Exchanges an API token for an access token at the server's token endpoint. */
export async function exchange(url: string, apiToken: string): Promise<string> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('pier-cli:').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'api_token', api_token: apiToken }),
  });
  if (!response.ok) throw new Error(`exchange failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A `pier-server worker` process sharing a server's data directory and database. */
export function startWorkerProcess(server: Pick<PierServer, 'env'>, env: Record<string, string> = {}): ChildProcess & { stop(): Promise<void> } {
  const child = spawn(process.execPath, [serverBin, 'worker'], { env: { ...server.env, PIER_LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' });
  return Object.assign(child, { stop: () => stopProcess(child) });
}
