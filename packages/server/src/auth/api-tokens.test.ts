import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { exchangeInProcess } from '../../../../test-support/in-process-actors.js';
import { bearer } from '../../../../test-support/http.js';

describe.each(databaseKinds())('API tokens over HTTP (%s)', (kind) => {
  const ctx = useInProcessServer(kind);
  const me = { params: { path: { user_id: 'me' } } };
  const myToken = (token_id: string) => ({ params: { path: { user_id: 'me', token_id } } });

  async function loggedInAs(email: string, tokenName: string) {
    const apiToken = await createApiToken(ctx.server, email, tokenName);
    return apiAs(ctx.server, bearer(await exchangeInProcess(ctx.server, apiToken)));
  }

  it('creates a token whose value appears only in the creation response', async () => {
    const api = await loggedInAs(ADMIN_EMAIL, 'bootstrap');
    const created = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'CI deploys' } });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'CI deploys', mfa_on_creation: false, expires_at: null, last_used_at: null });
    const token = created.data!.token!;
    expect(token).toMatch(/^pier_[0-9A-Za-z]{49}$/);

    const listed = await api.GET('/users/{user_id}/api-tokens', me);
    expect(listed.response.status).toBe(200);
    expect(listed.data!.map((t) => t.name)).toEqual(['bootstrap', 'CI deploys']);
    const one = await api.GET('/users/{user_id}/api-tokens/{token_id}', myToken(created.data!.id));
    expect(one.response.status).toBe(200);
    for (const body of [JSON.stringify(listed.data), JSON.stringify(one.data)]) {
      expect(body).not.toContain(token);
      expect(body).not.toContain('"token"');
    }
    expect(await exchangeInProcess(ctx.server, token)).toMatch(/^ey/);
  });

  it('refuses a second live token with the same name, and allows it again after deletion', async () => {
    const api = await loggedInAs(ADMIN_EMAIL, 'dup-check');
    const first = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'nightly' } });
    const again = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'nightly' } });
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ error: 'conflict', code: 409 });
    const deleted = await api.DELETE('/users/{user_id}/api-tokens/{token_id}', myToken(first.data!.id));
    expect(deleted.response.status).toBe(204);
    const recreated = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'nightly' } });
    expect(recreated.response.status).toBe(201);
  });

  it('deletes a token: gone from the list, 404 afterwards, its access tokens refused at once', async () => {
    const api = await loggedInAs(ADMIN_EMAIL, 'deleter');
    const created = (await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'short-lived' } })).data!;
    const victim = apiAs(ctx.server, bearer(await exchangeInProcess(ctx.server, created.token!)));
    expect((await victim.GET('/users/me')).response.status).toBe(200);

    expect((await api.DELETE('/users/{user_id}/api-tokens/{token_id}', myToken(created.id))).response.status).toBe(204);
    expect((await api.GET('/users/{user_id}/api-tokens/{token_id}', myToken(created.id))).response.status).toBe(404);
    expect((await api.DELETE('/users/{user_id}/api-tokens/{token_id}', myToken(created.id))).response.status).toBe(404);

    const refused = await victim.GET('/users/me');
    expect(refused.response.status).toBe(401);
    expect(refused.response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(refused.error).toMatchObject({ error: 'invalid_token' });
  });

  it('lets a user manage only their own tokens', async () => {
    await createUser(ctx.server, 'bot@example.com');
    const bot = await loggedInAs('bot@example.com', 'bot-ci');
    const admin = await loggedInAs(ADMIN_EMAIL, 'admin-ci');
    const adminId = (await admin.GET('/users/me')).data!.id;
    const adminTokens = await admin.GET('/users/{user_id}/api-tokens', { params: { path: { user_id: adminId } } });
    expect(adminTokens.response.status).toBe(200);
    const ofAdmin = { params: { path: { user_id: adminId } } };
    const adminToken = { params: { path: { user_id: adminId, token_id: adminTokens.data![0]!.id } } };

    const attempts = {
      [`GET /users/${adminId}/api-tokens`]: () => bot.GET('/users/{user_id}/api-tokens', ofAdmin),
      [`POST /users/${adminId}/api-tokens`]: () => bot.POST('/users/{user_id}/api-tokens', { ...ofAdmin, body: { name: 'x' } }),
      [`GET /users/${adminId}/api-tokens/{token_id}`]: () => bot.GET('/users/{user_id}/api-tokens/{token_id}', adminToken),
      [`DELETE /users/${adminId}/api-tokens/{token_id}`]: () => bot.DELETE('/users/{user_id}/api-tokens/{token_id}', adminToken),
    };
    for (const [label, attempt] of Object.entries(attempts)) {
      const { response, error } = await attempt();
      expect(response.status, label).toBe(403);
      expect(error).toMatchObject({ error: 'forbidden' });
    }
    const botTokens = await bot.GET('/users/{user_id}/api-tokens', me);
    expect(botTokens.data!.map((t) => t.name)).toEqual(['bot-ci']);
  });

  it('takes an optional expiry in the future', async () => {
    const api = await loggedInAs(ADMIN_EMAIL, 'expiry-check');
    const past = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'old', expires_at: '2001-01-01T00:00:00Z' } });
    expect(past.response.status).toBe(400);
    expect(past.error).toMatchObject({ error: 'invalid_request', detail: { field: 'expires_at' } });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'tomorrow', expires_at: future } });
    expect(ok.response.status).toBe(201);
    expect(ok.data!.expires_at).toBe(future);
  });

  it('records when and from where a token was last exchanged, without a write per exchange', async () => {
    const api = await loggedInAs(ADMIN_EMAIL, 'usage-check');
    const created = (await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'used' } })).data!;
    await exchangeInProcess(ctx.server, created.token!);
    // Uses are flushed in batches every two seconds.
    await expect
      .poll(async () => (await api.GET('/users/{user_id}/api-tokens/{token_id}', myToken(created.id))).data, { timeout: 5_000, interval: 250 })
      .toMatchObject({ last_used_ip: '127.0.0.1', last_used_at: expect.stringMatching(/^\d{4}-/) });
  });
});
