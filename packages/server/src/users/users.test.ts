import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_EMAIL, createApiToken, createTestDatabase, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { startInProcessServer, useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { exchangeInProcess } from '../../../../test-support/in-process-actors.js';
import { bearer } from '../../../../test-support/http.js';

describe.each(databaseKinds())('users (%s)', (kind) => {
  const ctx = useInProcessServer(kind);
  const bearerOf = async (email: string, tokenName: string) => bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, email, tokenName)));

  it('GET /users/me returns the caller in the Platform.sh shape', async () => {
    const me = await apiAs(ctx.server, await bearerOf(ADMIN_EMAIL, 'me')).GET('/users/me');
    expect(me.response.status).toBe(200);
    expect(me.data).toMatchObject({
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
    expect(JSON.stringify(me.data)).not.toMatch(/password|hash/);
  });

  it('GET /users/{id}: yourself, or anyone for instance admins, 403 otherwise', async () => {
    await createUser(ctx.server, 'someone@example.com');
    await createUser(ctx.server, 'other@example.com');
    const admin = apiAs(ctx.server, await bearerOf(ADMIN_EMAIL, 'admin-view'));
    const someone = apiAs(ctx.server, await bearerOf('someone@example.com', 'view'));
    const other = apiAs(ctx.server, await bearerOf('other@example.com', 'view'));
    const someoneId = (await someone.GET('/users/me')).data!.id;
    const userPath = (user_id: string) => ({ params: { path: { user_id } } });

    expect((await someone.GET('/users/{user_id}', userPath(someoneId))).response.status).toBe(200);
    expect((await admin.GET('/users/{user_id}', userPath(someoneId))).data).toMatchObject({ email: 'someone@example.com' });
    const forbidden = await other.GET('/users/{user_id}', userPath(someoneId));
    expect(forbidden.response.status).toBe(403);
    expect(forbidden.error).toMatchObject({ status: 'error', code: 403, error: 'forbidden' });
    expect((await admin.GET('/users/{user_id}', userPath('00000000-0000-0000-0000-000000000000'))).response.status).toBe(404);
  });

  it('answers 401 with WWW-Authenticate for missing, malformed and forged bearer tokens', async () => {
    const missing = await apiAs(ctx.server).GET('/users/me');
    expect(missing.response.status).toBe(401);
    expect(missing.error).toMatchObject({ error: 'authentication_required' });
    for (const authorization of ['Bearer', 'Bearer not.a.jwt', 'Token abc', `Bearer ${forgedToken()}`]) {
      const answer = await apiAs(ctx.server, { authorization }).GET('/users/me');
      expect(answer.response.status, authorization).toBe(401);
      expect(answer.response.headers.get('www-authenticate'), authorization).toBe('Bearer error="invalid_token"');
      expect(answer.error, authorization).toMatchObject({ error: 'invalid_token' });
    }
  });
});

describe.each(databaseKinds())('restart (%s)', (kind) => {
  it('keeps users, API tokens, signing keys and issued access tokens', async () => {
    const database = await createTestDatabase(kind, { migrated: true });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-restart-'));
    let running = await startInProcessServer(database, { dataDir });
    try {
      let server = running.server;
      await createUser(server, 'persistent@example.com');
      const apiToken = await createApiToken(server, 'persistent@example.com', 'survives');
      const accessToken = await exchangeInProcess(server, apiToken);
      const jwksBefore = await apiAs(server).GET('/oauth2/jwks');
      await running.close();

      running = await startInProcessServer(database, { dataDir });
      server = running.server;
      expect((await apiAs(server).GET('/oauth2/jwks')).data).toEqual(jwksBefore.data);
      const again = await exchangeInProcess(server, apiToken);
      const me = await apiAs(server, bearer(again)).GET('/users/me');
      expect(me.data).toMatchObject({ email: 'persistent@example.com' });
      expect(accessToken).not.toBe(again);
    } finally {
      await running.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function forgedToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'at+jwt' })}.${part({ sub: 'x', exp: 9_999_999_999, jti: 'j' })}.`;
}
