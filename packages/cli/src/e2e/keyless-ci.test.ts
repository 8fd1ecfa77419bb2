/**
 * Keyless CI end to end: the built `pier` binary manages trust policies, then authenticates with
 * an OIDC id-token — from PIER_CLI_OIDC_TOKEN, or requested from a (local, fake) GitHub Actions
 * id-token endpoint — and no API token at all.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createUser, type PierServer } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { githubClaims, startLocalIssuer, type LocalIssuer } from '../../../../test-support/oidc-issuer.js';
import { ciEnv, exchangesDuring, filesUnder, runCli, tempDir } from '../testing/run-cli.js';

const AUDIENCE = 'https://pier.example.com';
let server: PierServer;
let issuer: LocalIssuer;
let botToken: string;
let adminToken: string;

/** GitHub Actions' id-token endpoint as the runner exposes it: bearer request token, `audience` query. */
interface FakeRunner {
  url: string;
  requests: Array<{ audience: string | null; authorization: string | undefined }>;
  close(): Promise<void>;
}

async function startFakeRunner(requestToken: string, claims = githubClaims()): Promise<FakeRunner> {
  const requests: FakeRunner['requests'] = [];
  const runner = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://runner');
    const audience = url.searchParams.get('audience');
    requests.push({ audience, authorization: request.headers.authorization });
    if (request.headers.authorization !== `bearer ${requestToken}` || url.searchParams.get('api-version') !== '2.0') {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
      return;
    }
    void issuer.sign({ ...claims, aud: audience ?? 'none' }).then((value) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value }));
    });
  });
  await new Promise<void>((resolve) => runner.listen(0, '127.0.0.1', resolve));
  const port = (runner.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/_apis/distributedtask/id-token?api-version=2.0`,
    requests,
    close: () => new Promise((resolve) => runner.close(() => resolve())),
  };
}

beforeAll(async () => {
  [server, issuer] = await Promise.all([startListeningServer(), startLocalIssuer()]);
  await createUser(server, 'deploy-bot@example.com');
  [botToken, adminToken] = await Promise.all([createApiToken(server, 'deploy-bot@example.com', 'setup'), createApiToken(server, ADMIN_EMAIL, 'admin')]);
  const created = await runCli(
    ['trust-policy:create', '--name', 'gha-deploy', '--issuer', issuer.url, '--audience', AUDIENCE, '--condition', 'repository=acme/app', '--condition', 'ref=refs/heads/*'],
    { env: ciEnv(server, { PIER_CLI_TOKEN: botToken }) },
  );
  expect(created.stderr).toContain('Created the trust policy "gha-deploy"');
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
}, 60_000);
afterAll(async () => {
  await issuer?.close();
  await server?.stop();
});

describe('trust-policy commands', () => {
  it('lists the policy with its conditions', async () => {
    const listed = await runCli(['trust-policy:list', '--format', 'csv', '--columns', 'name,issuer,audience,conditions'], { env: ciEnv(server, { PIER_CLI_TOKEN: botToken }) });
    expect(listed).toMatchObject({ code: 0, stdout: `name,issuer,audience,conditions\ngha-deploy,${issuer.url},${AUDIENCE},repository=acme/app ref=refs/heads/*\n` });
  });
  // Refusing a policy without conditions: commands/trust-policy/create.test.ts.
});

describe('PIER_CLI_OIDC_TOKEN', () => {
  it('authenticates a job with no API token, with one exchange for many commands', async () => {
    const idToken = await issuer.sign(githubClaims());
    const env = ciEnv(server, { PIER_CLI_OIDC_TOKEN: idToken });
    let info = '';
    const exchanges = await exchangesDuring(server, async () => {
      const first = await runCli(['auth:info', '--format', 'json'], { env });
      expect(first.code).toBe(0);
      info = first.stdout;
      expect((await runCli(['auth:info', 'email'], { env })).stdout).toBe('deploy-bot@example.com\n');
    });
    expect(exchanges).toBe(1);
    expect(JSON.parse(info)).toMatchObject({ email: 'deploy-bot@example.com', auth_method: 'OIDC id-token from the PIER_CLI_OIDC_TOKEN environment variable', api_token_name: null });
    // Only the access token is cached, under a hashed name.
    for (const file of filesUnder(String(env.HOME))) expect(file.content).not.toContain(idToken);
  });

  it('is PLATFORMSH_CLI_OIDC_TOKEN for the platform command', async () => {
    const env = {
      HOME: tempDir('pier-home-'),
      PLATFORMSH_CLI_API_URL: server.url,
      // This server is a pier one: it knows the pier-cli client only.
      PLATFORMSH_CLI_OAUTH2_CLIENT_ID: 'pier-cli',
      PLATFORMSH_CLI_OIDC_TOKEN: await issuer.sign(githubClaims()),
    };
    expect(await runCli(['auth:info', 'auth_method'], { env, binary: 'platform' })).toMatchObject({
      code: 0,
      stdout: 'OIDC id-token from the PLATFORMSH_CLI_OIDC_TOKEN environment variable\n',
    });
  });

  it('lets PIER_CLI_TOKEN win when both are set', async () => {
    const env = ciEnv(server, { PIER_CLI_TOKEN: adminToken, PIER_CLI_OIDC_TOKEN: await issuer.sign(githubClaims()) });
    expect(await runCli(['auth:info', 'email'], { env })).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
  });

  it('exits 3 with the reason when the id-token does not meet the policy, never printing it', async () => {
    const idToken = await issuer.sign(githubClaims({ repository: 'evil/app' }));
    const result = await runCli(['auth:info', '-vvv'], { env: ciEnv(server, { PIER_CLI_OIDC_TOKEN: idToken }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The OIDC id-token was refused:');
    expect(result.stderr).toContain('unmet: "repository"');
    expect(result.stderr).toContain('PIER_CLI_OIDC_TOKEN');
    expect(result.stderr + result.stdout).not.toContain(idToken);
  });
});

describe('GitHub Actions', () => {
  it('requests an id-token for the configured audience and exchanges it', async () => {
    const runner = await startFakeRunner('runner-request-token');
    try {
      const env = ciEnv(server, {
        ACTIONS_ID_TOKEN_REQUEST_URL: runner.url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token',
        PIER_CLI_OIDC_AUDIENCE: AUDIENCE,
      });
      const info = await runCli(['auth:info', '--format', 'json'], { env });
      expect(info.code).toBe(0);
      expect(JSON.parse(info.stdout)).toMatchObject({ email: 'deploy-bot@example.com', auth_method: 'OIDC id-token from GitHub Actions (audience in PIER_CLI_OIDC_AUDIENCE)' });
      expect(runner.requests).toEqual([{ audience: AUDIENCE, authorization: 'bearer runner-request-token' }]);
      // The next step of the job reuses the cached access token: no new id-token, no exchange.
      expect((await runCli(['trust-policy:list', '--format', 'plain', '--columns', 'name', '--no-header'], { env })).stdout).toBe('gha-deploy\n');
      expect(runner.requests).toHaveLength(1);
    } finally {
      await runner.close();
    }
  });

  it('says what to fix when the runner gives no id-token', async () => {
    const runner = await startFakeRunner('the-real-one');
    try {
      const env = ciEnv(server, { ACTIONS_ID_TOKEN_REQUEST_URL: runner.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong', PIER_CLI_OIDC_AUDIENCE: AUDIENCE });
      const result = await runCli(['auth:info'], { env });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('GitHub Actions did not issue an OIDC id-token (HTTP 401)');
      expect(result.stderr).toContain('permissions: id-token: write');
    } finally {
      await runner.close();
    }
  });

  it('is not used without a configured audience', async () => {
    const result = await runCli(['auth:info'], {
      env: { ...ciEnv(server), PIER_CLI_HOME: tempDir(), ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/x?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Authentication is required.');
  });
});

describe('deleting the trust policy', () => {
  it('stops new exchanges', async () => {
    const env = ciEnv(server, { PIER_CLI_TOKEN: botToken });
    expect((await runCli(['trust-policy:delete', 'gha-deploy', '--yes'], { env })).stderr).toContain('The trust policy "gha-deploy" was deleted.');
    const result = await runCli(['auth:info'], { env: ciEnv(server, { PIER_CLI_OIDC_TOKEN: await issuer.sign(githubClaims()) }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No trust policy trusts');
  });
});
