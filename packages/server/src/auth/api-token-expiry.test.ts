import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, databaseKinds, exchange, serverCommand } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { bearer, cliClient, request } from '../../../../test-support/http.js';

const DAY = 86_400_000;

describe.each(databaseKinds())('API token expiry over HTTP (%s)', (kind) => {
  const ctx = usePierServer(kind, { env: { PIER_API_TOKEN_MAX_LIFETIME: '90d', PIER_WORKER: 'off' } });

  async function admin() {
    return bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, ADMIN_EMAIL, `admin-${Math.random().toString(36).slice(2, 8)}`)));
  }

  it('gives a new token without an expiry the instance maximum, and says what the maximum is', async () => {
    const auth = await admin();
    const before = Date.now();
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'no expiry asked' } });
    expect(created.status).toBe(201);
    const expiresAt = Date.parse(String(created.body.expires_at));
    expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * DAY - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    expect(created.body.status).toBe('active');

    const listed = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth });
    expect(listed.headers.get('pier-api-token-max-lifetime')).toBe(String(90 * 86_400));
  });

  it('refuses an expiry beyond the maximum with a 400 naming the field and the maximum', async () => {
    const auth = await admin();
    const tooLate = new Date(Date.now() + 91 * DAY).toISOString();
    const refused = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'too long', expires_at: tooLate } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: 'invalid_request',
      detail: { field: 'expires_at', reason: 'exceeds_max_lifetime', max_lifetime: '90d', max_lifetime_seconds: 90 * 86_400 },
    });
    expect(String(refused.body.message)).toContain('maximum API token lifetime (90d)');
    const within = new Date(Date.now() + 89 * DAY).toISOString();
    expect((await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'within', expires_at: within } })).status).toBe(201);
    // The server host's bootstrap command obeys the same maximum.
    const bootstrap = await serverCommand(ctx.server, ['user:create-token', ADMIN_EMAIL, '--name', 'too-long-cli', '--expires-in', '365']).catch((error: unknown) => error);
    expect(bootstrap).toMatchObject({ code: 1, stderr: expect.stringContaining('maximum API token lifetime (90d)') as unknown });
  });

  it('answers Pier-Token-Expires-At on the exchange and on every authenticated response', async () => {
    const auth = await admin();
    const expiresAt = new Date(Date.now() + 5 * DAY);
    expiresAt.setUTCMilliseconds(0);
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'expiring', expires_at: expiresAt.toISOString() } });
    const exchanged = await request(`${ctx.server.url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: String(created.body.token) } });
    expect(exchanged.status).toBe(200);
    const expected = expiresAt.toISOString().replace('.000Z', 'Z');
    expect(exchanged.headers.get('pier-token-expires-at')).toBe(expected);
    // The reused access token (fast path) says so too.
    const again = await request(`${ctx.server.url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: String(created.body.token) } });
    expect(again.headers.get('pier-token-expires-at')).toBe(expected);

    const headers = bearer(String(exchanged.body.access_token));
    for (const path of ['/users/me', '/users/me/api-tokens', '/projects']) {
      const response = await request(`${ctx.server.url}${path}`, { headers });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('pier-token-expires-at'), path).toBe(expected);
    }
    const notFound = await request(`${ctx.server.url}/projects/nope`, { headers });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('pier-token-expires-at')).toBe(expected);
  });

  it('keeps an expired token listed as expired, and refuses it as it refuses an unknown one', async () => {
    const auth = await admin();
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, {
      headers: auth,
      json: { name: 'about to expire', expires_at: new Date(Date.now() + 1500).toISOString() },
    });
    expect(created.status).toBe(201);
    const token = String(created.body.token);
    expect((await request(`${ctx.server.url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: token } })).status).toBe(200);

    const one = `${ctx.server.url}/users/me/api-tokens/${String(created.body.id)}`;
    await expect.poll(async () => (await request(one, { headers: auth })).body.status, { timeout: 5_000, interval: 250 }).toBe('expired');
    const listed = await request<Array<{ name: string; status: string }>>(`${ctx.server.url}/users/me/api-tokens`, { headers: auth });
    expect(listed.body.find((t) => t.name === 'about to expire')?.status).toBe('expired');
    expect(listed.body.filter((t) => t.name !== 'about to expire').every((t) => t.status === 'active')).toBe(true);

    const expired = await request(`${ctx.server.url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: token } });
    const unknown = await request(`${ctx.server.url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: await unknownToken() } });
    expect(expired.status).toBe(unknown.status);
    expect(expired.body).toEqual(unknown.body);
  });

  /** A well-formed token no server issued: created, then deleted. */
  async function unknownToken(): Promise<string> {
    const auth = await admin();
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: `gone-${Date.now()}` } });
    await request(`${ctx.server.url}/users/me/api-tokens/${String(created.body.id)}`, { method: 'DELETE', headers: auth });
    return String(created.body.token);
  }
});

describe('API token expiry without an instance maximum (sqlite)', () => {
  const ctx = usePierServer('sqlite', { env: { PIER_WORKER: 'off' } });

  it('leaves tokens without an expiry, sends no maximum and no expiry header', async () => {
    const headers = bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, ADMIN_EMAIL, 'forever')));
    const listed = await request<Array<{ expires_at: string | null; status: string }>>(`${ctx.server.url}/users/me/api-tokens`, { headers });
    expect(listed.headers.get('pier-api-token-max-lifetime')).toBeNull();
    expect(listed.headers.get('pier-token-expires-at')).toBeNull();
    expect(listed.body).toEqual([expect.objectContaining({ expires_at: null, status: 'active' })]);
  });
});
