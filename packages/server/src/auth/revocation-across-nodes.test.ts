import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  createApiToken,
  createTestDatabase,
  exchange,
  startPierServer,
  type PierServer,
  type TestDatabase,
} from '../../../../test-support/pier-server.js';
import { bearer, cliClient, request } from '../../../../test-support/http.js';

const postgres = process.env.PIER_TEST_DATABASE_URL ? describe : describe.skip;

postgres('revocation across server processes sharing one PostgreSQL', () => {
  let database: TestDatabase;
  let first: PierServer;
  let second: PierServer;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // Nodes of one installation share the secrets key and the public URL (the token issuer).
    const shared = { PIER_SECRETS_KEY: 'k'.repeat(48), PIER_PUBLIC_URL: 'http://pier.internal.test' };
    const dataDirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'pier-node-')));
    first = await startPierServer({ dataDir: dataDirs[0], databaseUrl: database.url, env: shared });
    second = await startPierServer({ dataDir: dataDirs[1], databaseUrl: database.url, env: shared });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await database?.drop();
  });

  it('refuses, on the other node within one second, access tokens of an API token deleted on one node', async () => {
    const adminAuth = bearer(await exchange(first.url, await createApiToken(first, ADMIN_EMAIL, 'admin')));
    const created = await request(`${first.url}/users/me/api-tokens`, { headers: adminAuth, json: { name: 'victim' } });
    // Minted on the second node, verified (and cached) there.
    const victim = bearer(await exchange(second.url, String(created.body.token)));
    expect((await request(`${second.url}/users/me`, { headers: victim })).status).toBe(200);

    const deletedAt = Date.now();
    const deleted = await request(`${first.url}/users/me/api-tokens/${String(created.body.id)}`, { method: 'DELETE', headers: adminAuth });
    expect(deleted.status).toBe(204);

    let refusedAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - deletedAt < 3_000) {
      const status = (await request(`${second.url}/users/me`, { headers: victim })).status;
      if (status === 401) {
        refusedAfter = Date.now() - deletedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusedAfter).toBeLessThan(1_000);
  });

  it('shares signing keys: a token minted by one node is accepted by the other', async () => {
    const accessToken = await exchange(first.url, await createApiToken(first, ADMIN_EMAIL, 'shared-keys'));
    const me = await request(`${second.url}/users/me`, { headers: bearer(accessToken) });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(ADMIN_EMAIL);
  });
});

describe('revocation across server processes sharing one SQLite file', () => {
  let first: PierServer;
  let second: PierServer;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-shared-'));
    first = await startPierServer({ dataDir, args: ['api'] });
    second = await startPierServer({ dataDir, args: ['api'] });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('refuses, on the other process within one second, the access tokens of a deleted API token, and exchanges it no more', async () => {
    const adminAuth = bearer(await exchange(first.url, await createApiToken(first, ADMIN_EMAIL, 'admin')));
    const created = await request(`${first.url}/users/me/api-tokens`, { headers: adminAuth, json: { name: 'victim' } });
    const apiToken = String(created.body.token);
    const victim = bearer(await exchange(second.url, apiToken));
    expect((await request(`${second.url}/users/me`, { headers: victim })).status).toBe(200);

    const deletedAt = Date.now();
    expect((await request(`${first.url}/users/me/api-tokens/${String(created.body.id)}`, { method: 'DELETE', headers: adminAuth })).status).toBe(204);
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - deletedAt < 3_000) {
      if ((await request(`${second.url}/users/me`, { headers: victim })).status === 401) {
        refusedAfter = Date.now() - deletedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusedAfter).toBeLessThan(1_000);
    const again = await request(`${second.url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: apiToken } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant' });
  });
});
