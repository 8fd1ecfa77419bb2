import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, exchangeInProcess, grantInProcess } from '../../../../test-support/in-process-actors.js';
import { bearer } from '../../../../test-support/http.js';

describe.each(databaseKinds())('audit trail (%s)', (kind) => {
  const ctx = useInProcessServer(kind);
  const branch = (projectId: string, environmentId: string, name: string) => ({ params: { path: { projectId, environmentId } }, body: { name } });

  it("attributes a machine user's actions to it and to the token it used", async () => {
    const admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const asAdmin = apiAs(ctx.server, admin.headers);
    const projectId = await createProjectInProcess(ctx.server, admin, 'Audited');
    const bot = await actorInProcess(ctx.server, 'bot@example.com');
    await grantInProcess(ctx.server, admin, projectId, bot, ['viewer', 'development:contributor']);
    await asAdmin.POST('/projects/{projectId}/environments/{environmentId}/branch', branch(projectId, 'main', 'dev'));

    const asCron = apiAs(ctx.server, bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, 'bot@example.com', 'nightly-cron'))));
    expect((await asCron.POST('/projects/{projectId}/environments/{environmentId}/branch', branch(projectId, 'dev', 'from-cron'))).response.status).toBe(201);

    const projectAudit = { params: { path: { project_id: projectId } } };
    const trail = await asAdmin.GET('/projects/{project_id}/audit', projectAudit);
    expect(trail.response.status).toBe(200);
    const entries = trail.data!;
    expect(entries.map((e) => e.action)).toEqual(['environment.branch', 'environment.branch', 'access.grant', 'project.create']);
    expect(entries[0]).toMatchObject({
      action: 'environment.branch',
      target: { type: 'environment', id: 'from-cron' },
      actor: { email: 'bot@example.com', auth_method: 'api_token', api_token_name: 'nightly-cron', client_ip: '127.0.0.1' },
      details: { parent: 'dev', type: 'development' },
    });
    expect(entries[1]!.actor).toMatchObject({ email: ADMIN_EMAIL, api_token_name: `token-of-${ADMIN_EMAIL}` });
    expect(entries[2]).toMatchObject({ target: { type: 'user', id: bot.userId }, details: { permissions: ['viewer', 'development:contributor'] } });

    const mine = await asCron.GET('/users/me/audit');
    expect(mine.data!.map((e) => e.action)).toEqual(['environment.branch']);
    expect((await asCron.GET('/projects/{project_id}/audit', projectAudit)).response.status).toBe(403);
  });

  it('records API token creation and deletion without the token value', async () => {
    const admin = apiAs(ctx.server, (await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true, tokenName: 'second' })).headers);
    const created = (await admin.POST('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } }, body: { name: 'audited-token' } })).data!;
    await admin.DELETE('/users/{user_id}/api-tokens/{token_id}', { params: { path: { user_id: 'me', token_id: created.id } } });
    const mine = (await admin.GET('/users/me/audit', { params: { query: { count: 2 } } })).data!;
    expect(mine.map((e) => [e.action, e.details.name])).toEqual([
      ['api_token.delete', 'audited-token'],
      ['api_token.create', 'audited-token'],
    ]);
    expect(JSON.stringify(mine)).not.toContain(created.token!);
    const older = await admin.GET('/users/me/audit', { params: { query: { count: 1, before: mine[1]!.id } } });
    expect(older.data).toHaveLength(1);
  });
});
