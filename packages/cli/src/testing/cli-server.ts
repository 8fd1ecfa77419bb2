/**
 * The shared fixture of the end-to-end tests (`src/e2e/`): one real server per test file (in the
 * test process, listening on loopback: test-support/listening-server.ts; the `pier` binary runs in
 * processes of its own), started before its tests and stopped after them, an instance admin's API
 * token, a CI job's environment with it, and optionally a project made with the CLI. Errors and
 * prompts are tested without a server beside each command (`testing/run-command.ts`); these
 * tests keep the happy paths and what crosses the wire.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { ADMIN_EMAIL, createApiToken, type PierServer, type StartOptions } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { ciEnv, runCli, type CliResult } from './run-cli.js';

export interface CliServerOptions {
  /** Server settings (`PIER_WORKER: 'off'`, `PIER_VENDOR`, …). */
  serverEnv?: StartOptions['env'];
  /** The name of the admin's API token (each file's own, as the server log shows them). */
  tokenName?: string;
  /** Creates a project with this title as the admin (`project:create`) before the tests. */
  project?: string;
}

export interface CliServer {
  readonly server: PierServer;
  readonly adminToken: string;
  /** A CI job's environment (its own HOME, the server's URL) with the admin's token. */
  readonly adminEnv: Record<string, string | undefined>;
  /** The project made for the file; only with the `project` option. */
  readonly projectId: string;
  /** Runs the `pier` binary as the admin's CI job. */
  pier(...args: string[]): Promise<CliResult>;
}

export function useCliServer(options: CliServerOptions = {}): CliServer {
  let server: PierServer | undefined;
  let adminToken: string | undefined;
  let adminEnv: Record<string, string | undefined> | undefined;
  let projectId: string | undefined;

  beforeAll(async () => {
    server = await startListeningServer(options.serverEnv ? { env: options.serverEnv } : {});
    adminToken = await createApiToken(server, ADMIN_EMAIL, options.tokenName ?? 'admin-ci');
    adminEnv = ciEnv(server, { PIER_CLI_TOKEN: adminToken });
    if (options.project !== undefined) {
      const created = await runCli(['project:create', '--title', options.project], { env: adminEnv });
      expect(created.code, created.stderr).toBe(0);
      projectId = created.stdout.trim();
    }
  });
  afterAll(() => server?.stop());

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useCliServer: ${what} is set up in beforeAll, not yet`);
    return value;
  };
  return {
    get server() {
      return ready(server, 'the server');
    },
    get adminToken() {
      return ready(adminToken, 'the admin token');
    },
    get adminEnv() {
      return ready(adminEnv, 'the admin environment');
    },
    get projectId() {
      return ready(projectId, 'the project (pass `project`)');
    },
    pier: (...args) => runCli(args, { env: ready(adminEnv, 'the admin environment') }),
  };
}
