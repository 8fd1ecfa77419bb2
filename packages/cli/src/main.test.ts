import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, type PierServer } from '../../../test-support/pier-server.js';
import { startListeningServer } from '../../../test-support/listening-server.js';
import { runCli } from './main.js';
import type { Terminal } from './lib/io.js';
import { vendorProfile } from './lib/vendor-profile.js';
import { tempDir } from './testing/run-cli.js';

/** A terminal whose output the test reads back; commands get IO injected, never process.*. */
function fakeTerminal(env: Record<string, string>): Terminal & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { stdin: new PassThrough(), stdout, stderr, env, out: () => out, err: () => err };
}

let server: PierServer;
beforeAll(async () => {
  server = await startListeningServer();
});
afterAll(() => server?.stop());

it('runs a command in-process against a real server, with an injected terminal', async () => {
  const apiToken = await createApiToken(server, ADMIN_EMAIL, 'in-process');
  const terminal = fakeTerminal({ PIER_CLI_HOME: tempDir(), PIER_CLI_API_URL: server.url, PIER_CLI_TOKEN: apiToken });
  const code = await runCli(vendorProfile('pier'), ['auth:info', '--format', 'csv', '--no-header', '-c', 'value'], terminal);
  expect(code).toBe(0);
  expect(terminal.out().split('\n')).toContain(ADMIN_EMAIL);
  expect(terminal.err()).toBe('');
});

it('maps a missing token to exit 3 and a usage error to exit 1', async () => {
  const terminal = fakeTerminal({ PIER_CLI_HOME: tempDir(), PIER_CLI_API_URL: server.url });
  expect(await runCli(vendorProfile('pier'), ['auth:info'], terminal)).toBe(3);
  expect(terminal.err()).toContain('Authentication is required.');
  expect(await runCli(vendorProfile('pier'), ['api-token:create'], terminal)).toBe(1);
  expect(terminal.err()).toContain("required option '--name <name>' not specified");
});
