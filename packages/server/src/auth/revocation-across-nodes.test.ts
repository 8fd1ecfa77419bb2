import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, exchange, type PierServer } from '../../../../test-support/pier-server.js';
import { startTwoNodes, type TwoNodes } from '../../../../test-support/two-nodes.js';
import { bearer, cliClient, request } from '../../../../test-support/http.js';

const postgres = process.env.PIER_TEST_DATABASE_URL ? describe : describe.skip;

postgres('revocation across server processes sharing one PostgreSQL', () => {
  let nodes: TwoNodes;
  let first: PierServer;
  let second: PierServer;

  beforeAll(async () => {
    nodes = await startTwoNodes('postgres');
    ({ first, second } = nodes);
  });
  afterAll(() => nodes?.stop());

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
  let nodes: TwoNodes;
  let first: PierServer;
  let second: PierServer;

  beforeAll(async () => {
    nodes = await startTwoNodes('sqlite');
    ({ first, second } = nodes);
  });
  afterAll(() => nodes?.stop());

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
