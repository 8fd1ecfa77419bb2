import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  createApiToken,
  createTestDatabase,
  createUser,
  databaseKinds,
  exchange,
  startPierServer,
} from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { bearer, request } from '../../../../test-support/http.js';

describe.each(databaseKinds())('users (%s)', (kind) => {
  const ctx = usePierServer(kind);

  it('GET /users/me returns the caller in the Platform.sh shape', async () => {
    const auth = bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, ADMIN_EMAIL, 'me')));
    const me = await request(`${ctx.server.url}/users/me`, { headers: auth });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: ADMIN_EMAIL,
      username: 'admin',
      deactivated: false,
      email_verified: true,
      first_name: '',
      last_name: '',
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    expect(JSON.stringify(me.body)).not.toMatch(/password|hash/);
  });

  it('GET /users/{id}: yourself, or anyone for instance admins, 403 otherwise', async () => {
    await createUser(ctx.server, 'someone@example.com');
    await createUser(ctx.server, 'other@example.com');
    const admin = bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, ADMIN_EMAIL, 'admin-view')));
    const someone = bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, 'someone@example.com', 'view')));
    const other = bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, 'other@example.com', 'view')));
    const someoneId = String((await request(`${ctx.server.url}/users/me`, { headers: someone })).body.id);

    expect((await request(`${ctx.server.url}/users/${someoneId}`, { headers: someone })).status).toBe(200);
    expect((await request(`${ctx.server.url}/users/${someoneId}`, { headers: admin })).body).toMatchObject({ email: 'someone@example.com' });
    const forbidden = await request(`${ctx.server.url}/users/${someoneId}`, { headers: other });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ status: 'error', code: 403, error: 'forbidden' });
    expect((await request(`${ctx.server.url}/users/00000000-0000-0000-0000-000000000000`, { headers: admin })).status).toBe(404);
  });

  it('answers 401 with WWW-Authenticate for missing, malformed and forged bearer tokens', async () => {
    const missing = await request(`${ctx.server.url}/users/me`);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: 'authentication_required' });
    for (const authorization of ['Bearer', 'Bearer not.a.jwt', 'Token abc', `Bearer ${forgedToken()}`]) {
      const response = await request(`${ctx.server.url}/users/me`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get('www-authenticate'), authorization).toBe('Bearer error="invalid_token"');
      expect(response.body, authorization).toMatchObject({ error: 'invalid_token' });
    }
  });
});

describe.each(databaseKinds())('restart (%s)', (kind) => {
  it('keeps users, API tokens, signing keys and issued access tokens', async () => {
    const database = await createTestDatabase(kind);
    let server = await startPierServer({ databaseUrl: database.url });
    try {
      await createUser(server, 'persistent@example.com');
      const apiToken = await createApiToken(server, 'persistent@example.com', 'survives');
      const accessToken = await exchange(server.url, apiToken);
      const jwksBefore = await request(`${server.url}/oauth2/jwks`);
      await server.stop();

      server = await startPierServer({ dataDir: server.dataDir, databaseUrl: database.url });
      expect((await request(`${server.url}/oauth2/jwks`)).body).toEqual(jwksBefore.body);
      // Same public URL is not guaranteed across restarts here (new port), so check the API token and user.
      const again = await exchange(server.url, apiToken);
      const me = await request(`${server.url}/users/me`, { headers: bearer(again) });
      expect(me.body).toMatchObject({ email: 'persistent@example.com' });
      expect(accessToken).not.toBe(again);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});

function forgedToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'at+jwt' })}.${part({ sub: 'x', exp: 9_999_999_999, jti: 'j' })}.`;
}
