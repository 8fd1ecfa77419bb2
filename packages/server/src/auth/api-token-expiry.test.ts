import { describe, expect, it } from 'vitest';
import type { PierClient } from '@pier/api';
import { ADMIN_EMAIL, createApiToken, databaseKinds, serverCommand } from '../../../../test-support/pier-server.js';
import { useInProcessServer, type InProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { exchangeInProcess } from '../../../../test-support/in-process-actors.js';
import { bearer, cliClient } from '../../../../test-support/http.js';

const DAY = 86_400_000;
const me = { params: { path: { user_id: 'me' } } };
const myToken = (token_id: string) => ({ params: { path: { user_id: 'me', token_id } } });

/** The token endpoint, with the CLI's client id and a form body. */
function exchangeAnswer(server: InProcessServer, apiToken: string) {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  return apiAs(server, { ...cliClient, ...form }).POST('/oauth2/token', { body: { grant_type: 'api_token', api_token: apiToken } });
}

describe.each(databaseKinds())('API token expiry over HTTP (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_API_TOKEN_MAX_LIFETIME: '90d', PIER_WORKER: 'off' } });

  async function admin(): Promise<PierClient> {
    const apiToken = await createApiToken(ctx.server, ADMIN_EMAIL, `admin-${Math.random().toString(36).slice(2, 8)}`);
    return apiAs(ctx.server, bearer(await exchangeInProcess(ctx.server, apiToken)));
  }

  it('gives a new token without an expiry the instance maximum, and says what the maximum is', async () => {
    const api = await admin();
    const before = Date.now();
    const created = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'no expiry asked' } });
    expect(created.response.status).toBe(201);
    const expiresAt = Date.parse(String(created.data!.expires_at));
    expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * DAY - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    expect(created.data!.status).toBe('active');

    const listed = await api.GET('/users/{user_id}/api-tokens', me);
    expect(listed.response.headers.get('pier-api-token-max-lifetime')).toBe(String(90 * 86_400));
  });

  it('refuses an expiry beyond the maximum with a 400 naming the field and the maximum', async () => {
    const api = await admin();
    const tooLate = new Date(Date.now() + 91 * DAY).toISOString();
    const refused = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'too long', expires_at: tooLate } });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({
      error: 'invalid_request',
      detail: { field: 'expires_at', reason: 'exceeds_max_lifetime', max_lifetime: '90d', max_lifetime_seconds: 90 * 86_400 },
    });
    expect(String(refused.error?.message)).toContain('maximum API token lifetime (90d)');
    const within = new Date(Date.now() + 89 * DAY).toISOString();
    expect((await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'within', expires_at: within } })).response.status).toBe(201);
    // The server host's bootstrap command obeys the same maximum.
    const bootstrap = await serverCommand(ctx.server, ['user:create-token', ADMIN_EMAIL, '--name', 'too-long-cli', '--expires-in', '365']).catch((error: unknown) => error);
    expect(bootstrap).toMatchObject({ code: 1, stderr: expect.stringContaining('maximum API token lifetime (90d)') as unknown });
  });

  it('answers Pier-Token-Expires-At on the exchange and on every authenticated response', async () => {
    const api = await admin();
    const expiresAt = new Date(Date.now() + 5 * DAY);
    expiresAt.setUTCMilliseconds(0);
    const created = (await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'expiring', expires_at: expiresAt.toISOString() } })).data!;
    const exchanged = await exchangeAnswer(ctx.server, created.token!);
    expect(exchanged.response.status).toBe(200);
    const expected = expiresAt.toISOString().replace('.000Z', 'Z');
    expect(exchanged.response.headers.get('pier-token-expires-at')).toBe(expected);
    // The reused access token (fast path) says so too.
    const again = await exchangeAnswer(ctx.server, created.token!);
    expect(again.response.headers.get('pier-token-expires-at')).toBe(expected);

    const holder = apiAs(ctx.server, bearer(exchanged.data!.access_token));
    const reads = {
      '/users/me': () => holder.GET('/users/me'),
      '/users/me/api-tokens': () => holder.GET('/users/{user_id}/api-tokens', me),
      '/projects': () => holder.GET('/projects'),
    };
    for (const [path, read] of Object.entries(reads)) {
      const { response } = await read();
      expect(response.status, path).toBe(200);
      expect(response.headers.get('pier-token-expires-at'), path).toBe(expected);
    }
    const notFound = await holder.GET('/projects/{projectId}', { params: { path: { projectId: 'nope' } } });
    expect(notFound.response.status).toBe(404);
    expect(notFound.response.headers.get('pier-token-expires-at')).toBe(expected);
  });

  it('keeps an expired token listed as expired, and refuses it as it refuses an unknown one', async () => {
    const api = await admin();
    const created = await api.POST('/users/{user_id}/api-tokens', {
      ...me,
      body: { name: 'about to expire', expires_at: new Date(Date.now() + 1500).toISOString() },
    });
    expect(created.response.status).toBe(201);
    const token = created.data!.token!;
    expect((await exchangeAnswer(ctx.server, token)).response.status).toBe(200);

    const one = myToken(created.data!.id);
    await expect.poll(async () => (await api.GET('/users/{user_id}/api-tokens/{token_id}', one)).data?.status, { timeout: 5_000, interval: 250 }).toBe('expired');
    const listed = (await api.GET('/users/{user_id}/api-tokens', me)).data!;
    expect(listed.find((t) => t.name === 'about to expire')?.status).toBe('expired');
    expect(listed.filter((t) => t.name !== 'about to expire').every((t) => t.status === 'active')).toBe(true);

    const expired = await exchangeAnswer(ctx.server, token);
    const unknown = await exchangeAnswer(ctx.server, await unknownToken());
    expect(expired.response.status).toBe(unknown.response.status);
    expect(expired.error).toEqual(unknown.error);
  });

  /** A well-formed token no server issued: created, then deleted. */
  async function unknownToken(): Promise<string> {
    const api = await admin();
    const created = (await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: `gone-${Date.now()}` } })).data!;
    await api.DELETE('/users/{user_id}/api-tokens/{token_id}', myToken(created.id));
    return created.token!;
  }
});

describe('API token expiry without an instance maximum (sqlite)', () => {
  const ctx = useInProcessServer('sqlite', { env: { PIER_WORKER: 'off' } });

  it('leaves tokens without an expiry, sends no maximum and no expiry header', async () => {
    const headers = bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, ADMIN_EMAIL, 'forever')));
    const listed = await apiAs(ctx.server, headers).GET('/users/{user_id}/api-tokens', me);
    expect(listed.response.headers.get('pier-api-token-max-lifetime')).toBeNull();
    expect(listed.response.headers.get('pier-token-expires-at')).toBeNull();
    expect(listed.data).toEqual([expect.objectContaining({ expires_at: null, status: 'active' })]);
  });
});
