import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createUser, databaseKinds, exchange } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { bearer, request } from '../../../../test-support/http.js';

describe.each(databaseKinds())('API tokens over HTTP (%s)', (kind) => {
  const ctx = usePierServer(kind);

  async function loggedInAs(email: string, tokenName: string) {
    const apiToken = await createApiToken(ctx.server, email, tokenName);
    return bearer(await exchange(ctx.server.url, apiToken));
  }

  it('creates a token whose value appears only in the creation response', async () => {
    const auth = await loggedInAs(ADMIN_EMAIL, 'bootstrap');
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'CI deploys' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'CI deploys', mfa_on_creation: false, expires_at: null, last_used_at: null });
    const token = String(created.body.token);
    expect(token).toMatch(/^pier_[0-9A-Za-z]{49}$/);

    const listed = await request<Array<Record<string, unknown>>>(`${ctx.server.url}/users/me/api-tokens`, { headers: auth });
    expect(listed.status).toBe(200);
    expect(listed.body.map((t) => t.name)).toEqual(['bootstrap', 'CI deploys']);
    const one = await request(`${ctx.server.url}/users/me/api-tokens/${String(created.body.id)}`, { headers: auth });
    expect(one.status).toBe(200);
    for (const body of [JSON.stringify(listed.body), JSON.stringify(one.body)]) {
      expect(body).not.toContain(token);
      expect(body).not.toContain('"token"');
    }
    expect(await exchange(ctx.server.url, token)).toMatch(/^ey/);
  });

  it('refuses a second live token with the same name, and allows it again after deletion', async () => {
    const auth = await loggedInAs(ADMIN_EMAIL, 'dup-check');
    const first = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'nightly' } });
    const again = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'nightly' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'conflict', code: 409 });
    const deleted = await request(`${ctx.server.url}/users/me/api-tokens/${String(first.body.id)}`, { method: 'DELETE', headers: auth });
    expect(deleted.status).toBe(204);
    const recreated = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'nightly' } });
    expect(recreated.status).toBe(201);
  });

  it('deletes a token: gone from the list, 404 afterwards, its access tokens refused at once', async () => {
    const auth = await loggedInAs(ADMIN_EMAIL, 'deleter');
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'short-lived' } });
    const victim = bearer(await exchange(ctx.server.url, String(created.body.token)));
    expect((await request(`${ctx.server.url}/users/me`, { headers: victim })).status).toBe(200);

    const url = `${ctx.server.url}/users/me/api-tokens/${String(created.body.id)}`;
    expect((await request(url, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await request(url, { headers: auth })).status).toBe(404);
    expect((await request(url, { method: 'DELETE', headers: auth })).status).toBe(404);

    const refused = await request(`${ctx.server.url}/users/me`, { headers: victim });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(refused.body).toMatchObject({ error: 'invalid_token' });
  });

  it('lets a user manage only their own tokens', async () => {
    await createUser(ctx.server, 'bot@example.com');
    const bot = await loggedInAs('bot@example.com', 'bot-ci');
    const admin = await loggedInAs(ADMIN_EMAIL, 'admin-ci');
    const me = await request(`${ctx.server.url}/users/me`, { headers: admin });
    const adminId = String(me.body.id);
    const adminTokens = await request<Array<{ id: string }>>(`${ctx.server.url}/users/${adminId}/api-tokens`, { headers: admin });
    expect(adminTokens.status).toBe(200);

    for (const [method, path] of [
      ['GET', `/users/${adminId}/api-tokens`],
      ['POST', `/users/${adminId}/api-tokens`],
      ['GET', `/users/${adminId}/api-tokens/${adminTokens.body[0]?.id}`],
      ['DELETE', `/users/${adminId}/api-tokens/${adminTokens.body[0]?.id}`],
    ] as const) {
      const response = await request(`${ctx.server.url}${path}`, { method, headers: bot, ...(method === 'POST' ? { json: { name: 'x' } } : {}) });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body).toMatchObject({ error: 'forbidden' });
    }
    const botTokens = await request<Array<{ name: string }>>(`${ctx.server.url}/users/me/api-tokens`, { headers: bot });
    expect(botTokens.body.map((t) => t.name)).toEqual(['bot-ci']);
  });

  it('takes an optional expiry in the future', async () => {
    const auth = await loggedInAs(ADMIN_EMAIL, 'expiry-check');
    const past = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'old', expires_at: '2001-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ error: 'invalid_request', detail: { field: 'expires_at' } });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'tomorrow', expires_at: future } });
    expect(ok.status).toBe(201);
    expect(ok.body.expires_at).toBe(future);
  });

  it('records when and from where a token was last exchanged, without a write per exchange', async () => {
    const auth = await loggedInAs(ADMIN_EMAIL, 'usage-check');
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'used' } });
    await exchange(ctx.server.url, String(created.body.token));
    const url = `${ctx.server.url}/users/me/api-tokens/${String(created.body.id)}`;
    // Uses are flushed in batches every two seconds.
    await expect
      .poll(async () => (await request(url, { headers: auth })).body, { timeout: 5_000, interval: 250 })
      .toMatchObject({ last_used_ip: '127.0.0.1', last_used_at: expect.stringMatching(/^\d{4}-/) });
  });
});
