import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, databaseKinds, exchange } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { bearer, request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant } from '../../../../test-support/actors.js';

interface Entry {
  action: string;
  target: { type: string; id: string };
  actor: { email: string | null; auth_method: string; api_token_name: string | null; api_token_id: string | null; client_ip: string | null };
  details: Record<string, unknown>;
}

describe.each(databaseKinds())('audit trail (%s)', (kind) => {
  const ctx = usePierServer(kind);

  it("attributes a machine user's actions to it and to the token it used", async () => {
    const url = ctx.server.url;
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectAs(ctx.server, admin, 'Audited');
    const bot = await actor(ctx.server, 'bot@example.com');
    await grant(ctx.server, admin, projectId, bot, ['viewer', 'development:contributor']);
    await request(`${url}/projects/${projectId}/environments/main/branch`, { headers: admin.headers, json: { name: 'dev' } });

    const cronToken = bearer(await exchange(url, await createApiToken(ctx.server, 'bot@example.com', 'nightly-cron')));
    expect((await request(`${url}/projects/${projectId}/environments/dev/branch`, { headers: cronToken, json: { name: 'from-cron' } })).status).toBe(201);

    const trail = await request<Entry[]>(`${url}/projects/${projectId}/audit`, { headers: admin.headers });
    expect(trail.status).toBe(200);
    expect(trail.body.map((e) => e.action)).toEqual(['environment.branch', 'environment.branch', 'access.grant', 'project.create']);
    expect(trail.body[0]).toMatchObject({
      action: 'environment.branch',
      target: { type: 'environment', id: 'from-cron' },
      actor: { email: 'bot@example.com', auth_method: 'api_token', api_token_name: 'nightly-cron', client_ip: '127.0.0.1' },
      details: { parent: 'dev', type: 'development' },
    });
    expect(trail.body[1]!.actor).toMatchObject({ email: ADMIN_EMAIL, api_token_name: `token-of-${ADMIN_EMAIL}` });
    expect(trail.body[2]).toMatchObject({ target: { type: 'user', id: bot.userId }, details: { permissions: ['viewer', 'development:contributor'] } });

    const mine = await request<Entry[]>(`${url}/users/me/audit`, { headers: cronToken });
    expect(mine.body.map((e) => e.action)).toEqual(['environment.branch']);
    expect((await request(`${url}/projects/${projectId}/audit`, { headers: cronToken })).status).toBe(403);
  });

  it('records API token creation and deletion without the token value', async () => {
    const url = ctx.server.url;
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true, tokenName: 'second' });
    const created = await request(`${url}/users/me/api-tokens`, { headers: admin.headers, json: { name: 'audited-token' } });
    await request(`${url}/users/me/api-tokens/${String(created.body.id)}`, { method: 'DELETE', headers: admin.headers });
    const mine = await request<Entry[]>(`${url}/users/me/audit?count=2`, { headers: admin.headers });
    expect(mine.body.map((e) => [e.action, e.details.name])).toEqual([
      ['api_token.delete', 'audited-token'],
      ['api_token.create', 'audited-token'],
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(String(created.body.token));
    const older = await request<Entry[]>(`${url}/users/me/audit?count=1&before=${(mine.body[1] as unknown as { id: string }).id}`, { headers: admin.headers });
    expect(older.body).toHaveLength(1);
  });
});
