import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createUser } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { ciEnv, filesUnder, runCli, tempDir } from '../testing/run-cli.js';

const cli = useCliServer();
let robotToken: string;

beforeAll(async () => {
  await createUser(cli.server, 'robot@example.com');
  robotToken = await createApiToken(cli.server, 'robot@example.com', 'robot-ci');
});

describe('where the API token comes from', () => {
  it('uses PIER_CLI_TOKEN and says so', async () => {
    const result = await runCli(['auth:info', '--format', 'json'], { env: ciEnv(cli.server, { PIER_CLI_TOKEN: cli.adminToken }) });
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout) as Record<string, string>;
    expect(info.email).toBe(ADMIN_EMAIL);
    expect(info.auth_method).toBe('API token from the PIER_CLI_TOKEN environment variable');
    expect(info.api_token_name).toBe('admin-ci');
    expect(Date.parse(info.access_token_expires_at ?? '')).toBeGreaterThan(Date.now());
  });

  it('uses the token stored by auth:api-token-login (read from stdin when not on a terminal)', async () => {
    const env = ciEnv(cli.server);
    const login = await runCli(['auth:api-token-login'], { env, input: `${robotToken}\n` });
    expect(login.code).toBe(0);
    expect(login.stderr).toContain('The API token is valid.');
    expect(login.stderr).toContain('You are logged in.');
    expect(login.stderr).toContain('Email address: robot@example.com');
    expect(login.stdout).toBe('');

    const info = await runCli(['auth:info', 'auth_method'], { env });
    expect(info).toMatchObject({ code: 0, stdout: 'stored API token\n' });
    expect((await runCli(['auth:info', 'email'], { env })).stdout).toBe('robot@example.com\n');
  });

  it('prefers PIER_CLI_TOKEN over a stored token', async () => {
    const env = ciEnv(cli.server);
    expect((await runCli(['auth:api-token-login'], { env, input: robotToken })).code).toBe(0);
    const result = await runCli(['auth:info', 'email'], { env: { ...env, PIER_CLI_TOKEN: cli.adminToken } });
    expect(result).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
  });

  // Refusing auth:api-token-login while PIER_CLI_TOKEN is set: commands/auth/api-token-login.test.ts.

  it('rejects an invalid token given to auth:api-token-login with exit 3, storing nothing', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_HOME: tempDir() });
    const result = await runCli(['auth:api-token-login'], { env, input: 'pier_not-a-real-token\n' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The API token is invalid.');
    expect(fs.existsSync(path.join(env.PIER_CLI_HOME ?? '', 'credentials', 'api-token'))).toBe(false);
  });

  it('asks for authentication with exit 3 when there is no token at all', async () => {
    const result = await runCli(['auth:info'], { env: ciEnv(cli.server) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Authentication is required.');
    expect(result.stderr).toContain('configure an API token using the PIER_CLI_TOKEN environment variable');
    const quiet = await runCli(['auth:info', '--no-auto-login'], { env: ciEnv(cli.server) });
    expect(quiet).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('what is written to disk', () => {
  it('keeps the stored token and cached access token private: files 0600, folders 0700', async () => {
    const home = tempDir();
    const env = ciEnv(cli.server, { PIER_CLI_HOME: path.join(home, 'cli') });
    expect((await runCli(['auth:api-token-login'], { env, input: robotToken })).code).toBe(0);
    expect((await runCli(['auth:info'], { env })).code).toBe(0);

    const files = filesUnder(home);
    expect(files.map((entry) => path.relative(home, entry.file)).sort()).toEqual([
      expect.stringMatching(/^cli\/cache\/access-tokens\/[0-9a-f]{64}\.json$/),
      'cli/credentials/api-token',
    ]);
    for (const entry of files) expect(entry.mode.toString(8)).toBe('600');
    for (const dir of ['cli', 'cli/cache', 'cli/cache/access-tokens', 'cli/credentials']) {
      expect((fs.statSync(path.join(home, dir)).mode & 0o777).toString(8)).toBe('700');
    }
  });

  it('never writes an environment token to disk, only its hash names the cache file', async () => {
    const env = ciEnv(cli.server);
    for (const args of [['auth:info'], ['api-token:list'], ['auth:token', '-W'], ['auth:info', '-vvv']]) {
      expect((await runCli(args, { env: { ...env, PIER_CLI_TOKEN: cli.adminToken } })).code).toBe(0);
    }
    const files = filesUnder(env.HOME ?? '');
    expect(files.length).toBeGreaterThan(0);
    for (const entry of files) expect(entry.content).not.toContain(cli.adminToken);
    expect(files.some((entry) => entry.file.includes('credentials'))).toBe(false);
  });

  it('works without HOME, and with a HOME it cannot write to, using a private temp folder', async () => {
    for (const home of [undefined, '/proc/pier-no-such-home']) {
      const tmp = tempDir('pier-tmpdir-');
      const env = { PIER_CLI_API_URL: cli.server.url, PIER_CLI_TOKEN: cli.adminToken, TMPDIR: tmp, HOME: home };
      const first = await runCli(['auth:info', 'email'], { env });
      expect(first).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
      const fallback = path.join(tmp, `pier-cli-tmp-${process.getuid?.() ?? ''}`);
      expect((fs.statSync(fallback).mode & 0o777).toString(8)).toBe('700');
      expect(filesUnder(fallback).map((entry) => entry.mode.toString(8))).toEqual(['600']);
    }
  });
});

describe('auth:logout and auth:token', () => {
  it('prints an access token for scripts, then logs out and forgets every credential', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_HOME: tempDir() });
    expect((await runCli(['auth:api-token-login'], { env, input: robotToken })).code).toBe(0);

    const token = await runCli(['auth:token'], { env });
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(token.stderr).toContain('Warning: keep access tokens secret.');
    const header = await runCli(['auth:token', '-HW'], { env });
    expect(header).toMatchObject({ code: 0, stderr: '', stdout: `Authorization: Bearer ${token.stdout}` });
    const me = await fetch(`${cli.server.url}/users/me`, { headers: { authorization: `Bearer ${token.stdout}` } });
    expect(me.status).toBe(200);

    const logout = await runCli(['auth:logout'], { env });
    expect(logout).toMatchObject({ code: 0 });
    expect(logout.stderr).toContain('You are now logged out.');
    expect(filesUnder(env.PIER_CLI_HOME ?? '')).toEqual([]);
    // The cached access token was revoked at /oauth2/revoke, not just forgotten.
    expect((await fetch(`${cli.server.url}/users/me`, { headers: { authorization: `Bearer ${token.stdout}` } })).status).toBe(401);
    expect((await runCli(['auth:info'], { env })).code).toBe(3);
    // The API token itself still works: logging out must not revoke it.
    expect((await runCli(['auth:info'], { env: { ...env, PIER_CLI_TOKEN: robotToken } })).code).toBe(0);
  });
});
