import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, type TestActor } from '../../../../test-support/actors.js';

const github = 'https://token.actions.githubusercontent.com';

describe.each(databaseKinds())('trust policies over HTTP (%s)', (kind) => {
  const ctx = usePierServer(kind);
  let badInputBot: TestActor | undefined;

  it('creates, lists, reads and deletes a policy of your own, with audit entries', async () => {
    const bot = await actor(ctx.server, 'ci-bot@example.com');
    const base = `${ctx.server.url}/users/me/trust-policies`;
    const body = {
      name: 'gha-deploy',
      issuer: github,
      audience: 'https://pier.example.com',
      conditions: { repository: 'acme/app', ref: 'refs/heads/main' },
      scope: [{ project_id: 'abc123def4567', permissions: ['viewer', 'development:contributor'] }],
    };
    const created = await request(base, { headers: bot.headers, json: body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, created_by: bot.userId });
    const id = String(created.body.id);

    expect((await request(base, { headers: bot.headers, json: body })).status).toBe(409);
    const listed = await request<Array<{ id: string }>>(base, { headers: bot.headers });
    expect(listed.body.map((p) => p.id)).toEqual([id]);
    expect((await request(`${base}/${id}`, { headers: bot.headers })).body).toMatchObject({ id, name: 'gha-deploy' });
    expect((await request(`${ctx.server.url}/users/${bot.userId}/trust-policies/${id}`, { headers: bot.headers })).status).toBe(200);

    expect((await request(`${base}/${id}`, { method: 'DELETE', headers: bot.headers })).status).toBe(204);
    expect((await request(`${base}/${id}`, { headers: bot.headers })).status).toBe(404);
    expect((await request(`${base}/${id}`, { method: 'DELETE', headers: bot.headers })).status).toBe(404);

    const audit = await request<Array<{ action: string; target: { id: string } }>>(`${ctx.server.url}/users/me/audit`, { headers: bot.headers });
    expect(audit.body.filter((e) => e.target.id === id).map((e) => e.action)).toEqual(['trust_policy.delete', 'trust_policy.create']);
  });

  it.each([
    ['a plain http issuer', { issuer: 'http://ci.example.com' }, 'https URL'],
    ['conditions naming no identifying claim', { conditions: { workflow: 'deploy' } }, 'at least one of'],
    ['no conditions', { conditions: {} }, 'conditions'],
    ['a condition on a strange claim name', { conditions: { 'repo sitory': 'acme/app' } }, 'conditions'],
    ['an unknown permission in the scope', { scope: [{ project_id: 'p', permissions: ['owner'] }] }, 'scope'],
    ['an unknown field', { audience_list: ['x'] }, 'additional properties'],
  ])('refuses %s with 400 invalid_request', async (_label, change, words) => {
    badInputBot ??= await actor(ctx.server, 'bad-input@example.com');
    const bot = badInputBot;
    const response = await request(`${ctx.server.url}/users/me/trust-policies`, {
      headers: bot.headers,
      json: { name: 'x', issuer: github, audience: 'aud', conditions: { repository: 'acme/app' }, ...change },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_request' });
    expect(JSON.stringify(response.body)).toContain(words);
  });

  it("lets an instance admin manage a machine user's policies, and nobody else", async () => {
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const machine = await createUser(ctx.server, 'machine@example.com');
    const stranger = await actor(ctx.server, 'stranger@example.com');
    const base = `${ctx.server.url}/users/${machine}/trust-policies`;
    const body = { name: 'gitlab', issuer: 'https://gitlab.com', audience: 'https://pier.example.com', conditions: { project_path: 'acme/app' } };

    const created = await request(base, { headers: admin.headers, json: body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ scope: null, created_by: admin.userId });
    expect((await request(base, { headers: stranger.headers })).status).toBe(403);
    expect((await request(base, { headers: stranger.headers, json: { ...body, name: 'other' } })).body).toMatchObject({ error: 'forbidden' });
    expect((await request(`${base}/${String(created.body.id)}`, { method: 'DELETE', headers: stranger.headers })).status).toBe(403);
    // Another user's policy is not yours to read through your own id either.
    expect((await request(`${ctx.server.url}/users/me/trust-policies/${String(created.body.id)}`, { headers: stranger.headers })).status).toBe(404);
    expect((await request(`${ctx.server.url}/users/00000000-0000-0000-0000-000000000000/trust-policies`, { headers: admin.headers })).status).toBe(404);
  });
});
