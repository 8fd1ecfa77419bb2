/**
 * Machine credentials beyond the basics (issue 15): deactivation, scoped tokens and the permission
 * check, address binding and rotation with an overlap window — on each database; a second node
 * over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, databaseKinds, exchange, type PierServer, serverCommand } from '../../../../test-support/pier-server.js';
import { startTwoNodes, type TwoNodes } from '../../../../test-support/two-nodes.js';
import { useInProcessServer, type InProcessServer } from '../../../../test-support/in-process.js';
import { apiAs, rawRequest } from '../../../../test-support/api-client.js';
import { exchangeInProcess } from '../../../../test-support/in-process-actors.js';
import { bearer, cliClient, request } from '../../../../test-support/http.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const me = { params: { path: { user_id: 'me' } } };

function tokenRequest(server: Pick<InProcessServer, 'url' | 'fetch'>, apiToken: string, headers: Record<string, string> = {}) {
  return rawRequest<{ access_token: string; expires_in: number; error?: string; error_description?: string }>(server, '/oauth2/token', {
    headers: { ...cliClient, ...headers },
    form: { grant_type: 'api_token', api_token: apiToken },
  });
}

/** A user made with `pier-server user:create`, with its generated password. */
async function createUserWithPassword(server: Pick<PierServer, 'env' | 'uid'>, email: string): Promise<{ id: string; password: string }> {
  const output = await serverCommand(server, ['user:create', email]);
  return { id: /\(id ([0-9a-f-]{36})\)/.exec(output)![1]!, password: /Password \(shown once\): (\S+)/.exec(output)![1]! };
}

describe.each(databaseKinds())('machine credentials on %s', { timeout: 90_000 }, (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_TRUST_PROXY: '127.0.0.1' } });
  let admin: Record<string, string>;

  beforeAll(async () => {
    admin = bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, ADMIN_EMAIL, 'admin')));
  });

  describe('deactivation', () => {
    it('cuts access tokens (the reuse window included), console sessions and exchanges at once; reactivation lets only new credentials in', async () => {
      const bot = await createUserWithPassword(ctx.server, 'deploy-bot@example.com');
      const apiToken = await createApiToken(ctx.server, 'deploy-bot@example.com', 'ci');
      const first = (await tokenRequest(ctx.server, apiToken)).body.access_token;
      // Within the reuse window the same access token comes back: it must die too.
      expect((await tokenRequest(ctx.server, apiToken)).body.access_token).toBe(first);
      const login = await rawRequest(ctx.server, `/auth/login`, { json: { email: 'deploy-bot@example.com', password: bot.password } });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect((await rawRequest(ctx.server, `/users/me`, { headers: cookie ? { cookie } : {} })).status).toBe(200);

      const deactivated = await rawRequest(ctx.server, `/users/${bot.id}/deactivate`, { method: 'POST', headers: admin });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.deactivated).toBe(true);

      expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(first) })).status).toBe(401);
      expect((await rawRequest(ctx.server, `/users/me`, { headers: { cookie } })).status).toBe(401);
      const refused = await tokenRequest(ctx.server, apiToken);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');
      expect((await rawRequest(ctx.server, `/auth/login`, { json: { email: 'deploy-bot@example.com', password: bot.password } })).status).toBe(401);

      const reactivated = await rawRequest(ctx.server, `/users/${bot.id}/reactivate`, { method: 'POST', headers: admin });
      expect(reactivated.body.deactivated).toBe(false);
      const fresh = await tokenRequest(ctx.server, apiToken);
      expect(fresh.status).toBe(200);
      expect(fresh.body.access_token).not.toBe(first);
      expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(fresh.body.access_token) })).status).toBe(200);
      // What was issued before the deactivation stays dead.
      expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(first) })).status).toBe(401);

      const audit = await rawRequest(ctx.server, `/users/me/audit`, { headers: admin });
      expect(JSON.stringify(audit.body)).toContain('user.deactivate');
    });

    it('is for unscoped instance admins only, and never of oneself', async () => {
      const other = await createUserWithPassword(ctx.server, 'someone@example.com');
      const plain = bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, 'someone@example.com', 'plain')));
      const byUser = await rawRequest(ctx.server, `/users/${other.id}/deactivate`, { method: 'POST', headers: plain });
      expect(byUser.status).toBe(403);
      expect(byUser.body).toMatchObject({ error: 'forbidden', detail: { missing_permission: 'instance:admin' } });
      const self = (await apiAs(ctx.server, admin).GET('/users/me')).data!;
      expect((await rawRequest(ctx.server, `/users/${self.id}/deactivate`, { method: 'POST', headers: admin })).status).toBe(409);
      expect((await rawRequest(ctx.server, `/users/00000000-0000-0000-0000-000000000000/deactivate`, { method: 'POST', headers: admin })).status).toBe(404);
    });

    it('works from `pier-server user:deactivate EMAIL`', async () => {
      await createUserWithPassword(ctx.server, 'cron-bot@example.com');
      const access = bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, 'cron-bot@example.com', 'cron')));
      expect((await rawRequest(ctx.server, `/users/me`, { headers: access })).status).toBe(200);
      expect(await serverCommand(ctx.server, ['user:deactivate', 'cron-bot@example.com'])).toContain('Deactivated cron-bot@example.com');
      // The command opened the database with services of its own, as its process would: the news
      // arrives through the change feed.
      const deadline = Date.now() + 2_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        status = (await rawRequest(ctx.server, `/users/me`, { headers: access })).status;
        if (status === 200) await sleep(25);
      }
      expect(status).toBe(401);
    });
  });

  describe('scoped tokens', () => {
    let inScope: string;
    let outOfScope: string;
    let scoped: Record<string, string>;
    let scopedTokenId: string;

    beforeAll(async () => {
      const create = async (title: string) => (await apiAs(ctx.server, admin).POST('/projects', { body: { title } })).data!._embedded.entity!.id;
      [inScope, outOfScope] = [await create('In scope'), await create('Out of scope')];
      expect((await rawRequest(ctx.server, `/projects/${inScope}/environments/main/branch`, { headers: admin, json: { name: 'dev', type: 'development' } })).status).toBe(201);
      const created = await apiAs(ctx.server, admin).POST('/users/{user_id}/api-tokens', {
        ...me,
        body: { name: 'scoped', scope: [{ project_id: inScope, permissions: ['viewer', 'development:contributor'] }] },
      });
      expect(created.response.status).toBe(201);
      expect(created.data!.scope).toEqual([{ project_id: inScope, permissions: ['viewer', 'development:contributor'] }]);
      scopedTokenId = created.data!.id;
      scoped = bearer(await exchangeInProcess(ctx.server, created.data!.token!));
    });

    it('sees only the projects in its scope', async () => {
      const projects = (await apiAs(ctx.server, scoped).GET('/projects')).data!;
      expect(projects.map((p) => p.id)).toEqual([inScope]);
      const outside = await rawRequest(ctx.server, `/projects/${outOfScope}`, { headers: scoped });
      expect(outside.status).toBe(403);
      expect(outside.body).toMatchObject({ error: 'forbidden', detail: { missing_permission: `token scope project ${outOfScope}` } });
    });

    it('is refused outside its scope with the reason, though its user is an instance admin', async () => {
      const backup = await rawRequest(ctx.server, `/projects/${inScope}/environments/main/backup`, { headers: scoped, json: {} });
      expect(backup.status).toBe(403);
      // The scope gives no role on production at all: even viewing it is outside.
      expect(backup.body).toMatchObject({ error: 'forbidden', detail: { missing_permission: 'token scope production:viewer' } });
      expect(String(backup.body.message)).toContain("token's scope");
      const project = await rawRequest(ctx.server, `/projects`, { headers: scoped, json: { title: 'Not allowed' } });
      expect(project.status).toBe(403);
      expect(project.body).toMatchObject({ detail: { missing_permission: 'token scope instance:admin' } });
      const mint = await rawRequest(ctx.server, `/users/me/api-tokens`, { headers: scoped, json: { name: 'escape' } });
      expect(mint.status).toBe(403);
      // Within the scope it works.
      expect((await rawRequest(ctx.server, `/projects/${inScope}/environments/dev`, { headers: scoped })).status).toBe(200);
    });

    it('answers "may I, and what is missing" without trying', async () => {
      const check = (query: string, headers = scoped) => rawRequest<Record<string, unknown>>(ctx.server, `/auth/check?${query}`, { headers });
      const denied = await check(`action=environment:backup&project=${inScope}&environment=main`);
      expect(denied.status).toBe(200);
      expect(denied.body).toMatchObject({ allowed: false, missing_permission: 'token scope production:admin', environment_type: 'production' });
      expect(denied.body.credential).toMatchObject({ via: 'access_token', api_token_id: scopedTokenId, scope: [{ project_id: inScope }] });
      expect((await check(`action=environment:push&project=${inScope}&environment=dev`)).body).toMatchObject({ allowed: true, missing_permission: null });
      expect((await check(`action=environment:backup&project=${inScope}&environment=main`, admin)).body).toMatchObject({ allowed: true });
      expect((await check(`action=project:view&project=${outOfScope}`)).body).toMatchObject({ allowed: false, missing_permission: `token scope project ${outOfScope}` });
      expect((await check('action=project:create')).body).toMatchObject({ allowed: false, missing_permission: 'token scope instance:admin' });
      expect((await check('action=environment:backup')).status).toBe(400);
      expect((await check('action=launch:rockets')).status).toBe(400);
    });

    it('cannot delete the other tokens of its user, only itself', async () => {
      const other = (await apiAs(ctx.server, admin).POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'other-automation' } })).data!;
      const refused = await rawRequest(ctx.server, `/users/me/api-tokens/${other.id}`, { method: 'DELETE', headers: scoped });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: 'forbidden', detail: { missing_permission: 'token scope (none)' } });
      expect((await rawRequest(ctx.server, `/users/me/api-tokens/${other.id}`, { headers: admin })).status).toBe(200);
      const disposable = (
        await apiAs(ctx.server, admin).POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'scoped-disposable', scope: [{ project_id: inScope, permissions: ['viewer'] }] } })
      ).data!;
      const itself = bearer(await exchangeInProcess(ctx.server, disposable.token!));
      expect((await rawRequest(ctx.server, `/users/me/api-tokens/${disposable.id}`, { method: 'DELETE', headers: itself })).status).toBe(204);
    });

    it('refuses a scope naming a project its user cannot see, or a malformed one', async () => {
      const unknown = await rawRequest(ctx.server, `/users/me/api-tokens`, { headers: admin, json: { name: 'typo', scope: [{ project_id: 'nosuchproject', permissions: ['viewer'] }] } });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ error: 'invalid_request', detail: { field: 'scope' } });
      const badRole = await rawRequest(ctx.server, `/users/me/api-tokens`, { headers: admin, json: { name: 'bad', scope: [{ project_id: inScope, permissions: ['development:owner'] }] } });
      expect(badRole.status).toBe(400);
    });
  });

  describe('address binding', () => {
    it('refuses a token bound to 10.0.0.0/8 from 127.0.0.1, at exchange and on every request', async () => {
      const created = await apiAs(ctx.server, admin).POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'bound', allowed_ips: ['10.0.0.0/8', '2001:db8::/32'] } });
      expect(created.response.status).toBe(201);
      expect(created.data!.allowed_ips).toEqual(['10.0.0.0/8', '2001:db8::/32']);
      const boundToken = created.data!.token!;
      const direct = await tokenRequest(ctx.server, boundToken);
      expect(direct.status).toBe(400);
      expect(direct.body).toMatchObject({ error: 'invalid_grant', error_description: 'This API token may not be used from 127.0.0.1.' });

      // Behind the trusted proxy (127.0.0.1), the client's address is the forwarded one.
      const viaProxy = await tokenRequest(ctx.server, boundToken, { 'x-forwarded-for': '10.1.2.3' });
      expect(viaProxy.status).toBe(200);
      const access = bearer(viaProxy.body.access_token);
      expect((await rawRequest(ctx.server, `/users/me`, { headers: { ...access, 'x-forwarded-for': '10.9.9.9' } })).status).toBe(200);
      const elsewhere = await rawRequest(ctx.server, `/users/me`, { headers: { ...access, 'x-forwarded-for': '192.0.2.7' } });
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body).toMatchObject({ error: 'forbidden', detail: { missing_permission: 'token allowed_ips' } });
      expect((await rawRequest(ctx.server, `/users/me`, { headers: access })).status).toBe(403);
    });

    it('refuses what is not an address', async () => {
      for (const value of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '::1/129']) {
        const response = await rawRequest(ctx.server, `/users/me/api-tokens`, { headers: admin, json: { name: `bad-${value}`, allowed_ips: [value] } });
        expect(response.status, value).toBe(400);
        expect(response.body).toMatchObject({ error: 'invalid_request' });
      }
    });
  });

  describe('rotation with an overlap window', () => {
    it('keeps id and name; the old secret works until the overlap ends, then fails like a revoked one', { timeout: 60_000 }, async () => {
      const api = apiAs(ctx.server, admin);
      const created = (await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'rotating' } })).data!;
      const oldSecret = created.token!;
      const beforeRotation = (await tokenRequest(ctx.server, oldSecret)).body.access_token;

      // The first checks follow the rotation at once (two requests in process: milliseconds, even
      // on a busy machine); the second waits for the overlap's end, and a second more.
      const overlapSeconds = 2;
      const rotation = await api.POST('/users/{user_id}/api-tokens/{token_id}/rotate', {
        params: { path: { user_id: 'me', token_id: created.id } },
        body: { overlap_seconds: overlapSeconds },
      });
      const rotatedAt = Date.now();
      expect(rotation.response.status).toBe(200);
      const rotated = rotation.data!;
      expect(rotated).toMatchObject({ id: created.id, name: 'rotating' });
      expect(rotated.token).not.toBe(oldSecret);
      expect(Date.parse(rotated.previous_secret_expires_at!)).toBeGreaterThan(rotatedAt);
      // Shown once: reading the token back never shows a secret.
      expect((await rawRequest(ctx.server, `/users/me/api-tokens/${created.id}`, { headers: admin })).body.token).toBeUndefined();

      const newSecret = rotated.token!;
      const duringOverlap = await tokenRequest(ctx.server, oldSecret);
      expect(duringOverlap.status).toBe(200);
      // Nothing minted from the old secret outlives its overlap.
      expect(duringOverlap.body.expires_in).toBeLessThanOrEqual(overlapSeconds);
      expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(beforeRotation) })).status).toBe(200);

      await sleep(Math.max(0, rotatedAt + (overlapSeconds + 1) * 1000 - Date.now()));
      const afterOverlap = await tokenRequest(ctx.server, oldSecret);
      expect(afterOverlap.status).toBe(400);
      expect(afterOverlap.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid API token' });
      expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(beforeRotation) })).status).toBe(401);
      expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(duringOverlap.body.access_token) })).status).toBe(401);
      const withNew = await tokenRequest(ctx.server, newSecret);
      expect(withNew.status).toBe(200);
      expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(withNew.body.access_token) })).status).toBe(200);
    });

    it('with no overlap, the old secret stops at once', async () => {
      const api = apiAs(ctx.server, admin);
      const created = (await api.POST('/users/{user_id}/api-tokens', { ...me, body: { name: 'rotate-now' } })).data!;
      const rotated = await api.POST('/users/{user_id}/api-tokens/{token_id}/rotate', { params: { path: { user_id: 'me', token_id: created.id } }, body: { overlap_seconds: 0 } });
      expect(rotated.response.status).toBe(200);
      expect((await tokenRequest(ctx.server, created.token!)).status).toBe(400);
      expect((await tokenRequest(ctx.server, rotated.data!.token!)).status).toBe(200);
      expect((await rawRequest(ctx.server, `/users/me/api-tokens/${created.id}/rotate`, { headers: admin, json: { overlap_seconds: -1 } })).status).toBe(400);
      expect((await rawRequest(ctx.server, `/users/me/api-tokens/00000000-0000-0000-0000-000000000000/rotate`, { headers: admin, json: { overlap_seconds: 0 } })).status).toBe(404);
    });
  });
});

describe.each(databaseKinds())('deactivation seen by a second node (%s)', (kind) => {
  let nodes: TwoNodes;
  let first: PierServer;
  let second: PierServer;

  beforeAll(async () => {
    nodes = await startTwoNodes(kind);
    ({ first, second } = nodes);
  });
  afterAll(() => nodes?.stop());

  it('refuses the user’s access tokens on the other node within one second', { timeout: 90_000 }, async () => {
    const admin = bearer(await exchange(first.url, await createApiToken(first, ADMIN_EMAIL, 'admin')));
    const bot = await createUserWithPassword(first, 'fleet-bot@example.com');
    const access = bearer(await exchange(second.url, await createApiToken(first, 'fleet-bot@example.com', 'fleet')));
    expect((await request(`${second.url}/users/me`, { headers: access })).status).toBe(200);

    const deactivatedAt = Date.now();
    expect((await request(`${first.url}/users/${bot.id}/deactivate`, { method: 'POST', headers: admin })).status).toBe(200);
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - deactivatedAt < 3_000) {
      if ((await request(`${second.url}/users/me`, { headers: access })).status === 401) {
        refusedAfter = Date.now() - deactivatedAt;
        break;
      }
      await sleep(20);
    }
    expect(refusedAfter).toBeLessThan(1_000);
  });
});
