import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, exchange, freePort } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { ciEnv, exchangesDuring, filesUnder, runCli } from '../testing/run-cli.js';

const cli = useCliServer();

describe('the access-token cache', () => {
  it('makes one exchange for many commands', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, ADMIN_EMAIL, 'sequential') });
    const exchanges = await exchangesDuring(cli.server, async () => {
      for (const args of [['auth:info'], ['api-token:list'], ['auth:info', 'id'], ['auth:token', '-W'], ['api-token:list', '--format', 'json']]) {
        expect((await runCli(args, { env })).code).toBe(0);
      }
    });
    expect(exchanges).toBe(1);
  });

  it('makes one exchange for 10 processes started at once', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, ADMIN_EMAIL, 'parallel') });
    const exchanges = await exchangesDuring(cli.server, async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => runCli(['auth:info', 'email'], { env })));
      for (const result of results) expect(result).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
    });
    expect(exchanges).toBe(1);
  });

  it('exchanges again with --refresh', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, ADMIN_EMAIL, 'refresh') });
    expect((await runCli(['auth:info'], { env })).code).toBe(0);
    expect(await exchangesDuring(cli.server, async () => void expect((await runCli(['auth:info', '--refresh'], { env })).code).toBe(0))).toBe(1);
  });

  it('exchanges once more when the cli.server refuses a cached access token (401), then succeeds', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, ADMIN_EMAIL, 'rejected') });
    expect((await runCli(['auth:info'], { env })).code).toBe(0);
    // Revoke the cached access token behind the CLI's back: it still looks unexpired locally.
    const [cached] = filesUnder(env.HOME ?? '');
    const entry = JSON.parse(cached?.content ?? '{}') as { access_token: string };
    const revoke = await fetch(`${cli.server.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('pier-cli:').toString('base64')}` },
      body: new URLSearchParams({ token: entry.access_token }),
    });
    expect(revoke.status).toBe(200);
    const exchanges = await exchangesDuring(cli.server, async () => {
      const result = await runCli(['auth:info', 'email'], { env });
      expect(result).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
    });
    expect(exchanges).toBe(1);
    expect(fs.readFileSync(cached?.file ?? '', 'utf8')).not.toContain(entry.access_token);
  });
});

describe('failures', () => {
  it('exits 3 with "The API token is invalid." once the API token is revoked', async () => {
    const apiToken = await createApiToken(cli.server, ADMIN_EMAIL, 'to-revoke');
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: apiToken });
    expect((await runCli(['auth:info'], { env })).code).toBe(0);
    const access = await exchange(cli.server.url, apiToken);
    const id = (JSON.parse(Buffer.from(access.split('.')[1] ?? '', 'base64url').toString()) as { api_token_id: string }).api_token_id;
    const deleted = await fetch(`${cli.server.url}/users/me/api-tokens/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${access}` } });
    expect(deleted.status).toBe(204);

    const result = await runCli(['auth:info'], { env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The API token is invalid.');
    expect(result.stderr).toContain('PIER_CLI_TOKEN');
    expect(result.stdout).toBe('');
  });

  it('exits 5 naming the URL when the cli.server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await runCli(['auth:info'], { env: ciEnv(cli.server, { PIER_CLI_API_URL: url, PIER_CLI_TOKEN: 'pier_whatever' }) });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`Failed to connect to ${url}`);
    expect(result.stderr).toContain('PIER_CLI_API_URL');
  });
});
