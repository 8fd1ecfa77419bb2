import { describe, expect, it } from 'vitest';
import type { PierClient, TrustPolicyInput } from '@pier/api';
import { ADMIN_EMAIL, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actorInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';

const github = 'https://token.actions.githubusercontent.com';
const POLICIES = '/users/{user_id}/trust-policies';
const POLICY = '/users/{user_id}/trust-policies/{policy_id}';
const of = (user_id: string) => ({ params: { path: { user_id } } });
const policyOf = (user_id: string, policy_id: string) => ({ params: { path: { user_id, policy_id } } });

describe.each(databaseKinds())('trust policies over HTTP (%s)', (kind) => {
  const ctx = useInProcessServer(kind);
  const as = (who: TestActor): PierClient => apiAs(ctx.server, who.headers);
  let badInputBot: TestActor | undefined;

  it('creates, lists, reads and deletes a policy of your own, with audit entries', async () => {
    const bot = await actorInProcess(ctx.server, 'ci-bot@example.com');
    const api = as(bot);
    const body: TrustPolicyInput = {
      name: 'gha-deploy',
      issuer: github,
      audience: 'https://pier.example.com',
      conditions: { repository: 'acme/app', ref: 'refs/heads/main' },
      scope: [{ project_id: 'abc123def4567', permissions: ['viewer', 'development:contributor'] }],
    };
    const created = await api.POST(POLICIES, { ...of('me'), body });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ ...body, created_by: bot.userId });
    const id = created.data!.id;

    expect((await api.POST(POLICIES, { ...of('me'), body })).response.status).toBe(409);
    const listed = await api.GET(POLICIES, of('me'));
    expect(listed.data!.map((p) => p.id)).toEqual([id]);
    expect((await api.GET(POLICY, policyOf('me', id))).data).toMatchObject({ id, name: 'gha-deploy' });
    expect((await api.GET(POLICY, policyOf(bot.userId, id))).response.status).toBe(200);

    expect((await api.DELETE(POLICY, policyOf('me', id))).response.status).toBe(204);
    expect((await api.GET(POLICY, policyOf('me', id))).response.status).toBe(404);
    expect((await api.DELETE(POLICY, policyOf('me', id))).response.status).toBe(404);

    const audit = await api.GET('/users/me/audit');
    expect(audit.data!.filter((e) => e.target.id === id).map((e) => e.action)).toEqual(['trust_policy.delete', 'trust_policy.create']);
  });

  it.each([
    ['a plain http issuer', { issuer: 'http://ci.example.com' }, 'https URL'],
    ['conditions naming no identifying claim', { conditions: { workflow: 'deploy' } }, 'at least one of'],
    ['no conditions', { conditions: {} }, 'conditions'],
    ['a condition on a strange claim name', { conditions: { 'repo sitory': 'acme/app' } }, 'conditions'],
    ['an unknown permission in the scope', { scope: [{ project_id: 'p', permissions: ['owner'] }] }, 'scope'],
    ['an unknown field', { audience_list: ['x'] }, 'additional properties'],
  ])('refuses %s with 400 invalid_request', async (_label, change, words) => {
    badInputBot ??= await actorInProcess(ctx.server, 'bad-input@example.com');
    // Bodies outside the schema on purpose: the client passes them through unchanged.
    const body = { name: 'x', issuer: github, audience: 'aud', conditions: { repository: 'acme/app' }, ...change } as TrustPolicyInput;
    const response = await as(badInputBot).POST(POLICIES, { ...of('me'), body });
    expect(response.response.status).toBe(400);
    expect(response.error).toMatchObject({ error: 'invalid_request' });
    expect(JSON.stringify(response.error)).toContain(words);
  });

  it("lets an instance admin manage a machine user's policies, and nobody else", async () => {
    const admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const machine = await createUser(ctx.server, 'machine@example.com');
    const stranger = as(await actorInProcess(ctx.server, 'stranger@example.com'));
    const body: TrustPolicyInput = { name: 'gitlab', issuer: 'https://gitlab.com', audience: 'https://pier.example.com', conditions: { project_path: 'acme/app' } };

    const created = await as(admin).POST(POLICIES, { ...of(machine), body });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ scope: null, created_by: admin.userId });
    const id = created.data!.id;
    expect((await stranger.GET(POLICIES, of(machine))).response.status).toBe(403);
    expect((await stranger.POST(POLICIES, { ...of(machine), body: { ...body, name: 'other' } })).error).toMatchObject({ error: 'forbidden' });
    expect((await stranger.DELETE(POLICY, policyOf(machine, id))).response.status).toBe(403);
    // Another user's policy is not yours to read through your own id either.
    expect((await stranger.GET(POLICY, policyOf('me', id))).response.status).toBe(404);
    expect((await as(admin).GET(POLICIES, of('00000000-0000-0000-0000-000000000000'))).response.status).toBe(404);
  });
});
