/**
 * Contract test: the request sequences of the real Platform.sh CLI (shared/research/
 * platformsh-cli-wire.md) for auth, project, environment and user commands, replayed against a
 * real pier-server under the `platformsh` profile, asserting the fields the CLI reads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { actorInProcess, createProjectInProcess, grantInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';
import { PlatformshClient, type Json } from '../../../../test-support/platformsh-client.js';

/** `getMyProjects` in organizations mode, with the v4.30 vendor filter `upsun`. */
async function projectList(cli: PlatformshClient): Promise<Json[]> {
  await cli.get('/users/me');
  const access = await cli.get(`/users/${cli.myUserId()}/extended-access?filter[resource_type]=project`);
  return (access.items as Json[]).map((item) => {
    const ref = access['ref:projects']?.[item.resource_id];
    if (!ref) throw new Error(`ProjectReferenceException: ${item.resource_id}`);
    const organization = access['ref:organizations']?.[item.organization_id];
    return { ...ref, organization_ref: organization, vendor: ref.vendor ?? organization?.vendor };
  }).filter((project) => project.vendor === 'upsun');
}

describe.each(databaseKinds())('the Platform.sh CLI against Pier: access and environments (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_VENDOR: 'platformsh', PIER_SSH_HOST: 'ssh.pier.test', PIER_SSH_PORT: '2222' } });
  let projectId: string;
  let admin: PlatformshClient;
  let member: { id: string; email: string };
  let owner: TestActor;
  let tokens = 0;

  async function cliAs(email: string): Promise<PlatformshClient> {
    const cli = new PlatformshClient(ctx.server.url, ctx.server);
    expect((await cli.login(await createApiToken(ctx.server, email, `platform-cli-${++tokens}`))).status).toBe(200);
    return cli;
  }

  beforeAll(async () => {
    owner = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectInProcess(ctx.server, owner, 'Compat');
    const email = `member-${kind}@example.com`;
    member = { id: await createUser(ctx.server, email), email };
    await grantInProcess(ctx.server, owner, projectId, await actorInProcess(ctx.server, email, { existing: true }), ['viewer']);
    admin = await cliAs(ADMIN_EMAIL);
  });

  it('auth:api-token-login: exchange, certificate, then /users/me; a bad token is "Invalid API token"', async () => {
    const cli = new PlatformshClient(ctx.server.url, ctx.server);
    const bad = await cli.login('pier_not-a-real-token');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_grant', error_description: 'Invalid API token' });
    const good = await cli.login(await createApiToken(ctx.server, ADMIN_EMAIL, 'login'));
    expect(good.body).toMatchObject({ token_type: expect.stringMatching(/^bearer$/i), expires_in: expect.any(Number) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-cert-'));
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'platformsh-cli-temporary-cert', '-f', path.join(dir, 'id_ed25519')]);
    const signed = await cli.call('POST', '/ssh', { key: fs.readFileSync(path.join(dir, 'id_ed25519.pub'), 'utf8') });
    expect(String(signed.body.certificate)).toMatch(/^ssh-ed25519-cert-v01@openssh\.com \S+/);
    fs.writeFileSync(path.join(dir, 'id_ed25519-cert.pub'), String(signed.body.certificate));
    // ssh-cert:load regenerates the certificate on every run unless its Key ID is the user id.
    const shown = spawnSync('ssh-keygen', ['-L', '-f', path.join(dir, 'id_ed25519-cert.pub')], { encoding: 'utf8' }).stdout;
    expect(shown).toContain(`Key ID: "${cli.myUserId()}"`);
    expect(await cli.get('/users/me')).toMatchObject({ username: expect.any(String), email: ADMIN_EMAIL });
  });

  it('auth:info: the fields it prints', async () => {
    const me = await admin.get('/users/me');
    expect(me).toMatchObject({ id: admin.myUserId(), first_name: expect.any(String), last_name: expect.any(String), username: expect.any(String), email: ADMIN_EMAIL, phone_number_verified: false });
  });

  it('project:list (organizations mode): the creator and any other instance admin see the project, vendor kept by the filter', async () => {
    const otherAdmin = `root-${kind}@example.com`;
    await createUser(ctx.server, otherAdmin, true);
    for (const cli of [admin, await cliAs(otherAdmin)]) {
      const mine = await projectList(cli);
      const project = mine.find((p) => p.id === projectId);
      expect(project).toMatchObject({ title: 'Compat', region: expect.any(String), status: 'active', organization_id: expect.any(String) });
      expect(project?.organization_ref).toMatchObject({ id: project?.organization_id, name: expect.any(String), label: expect.any(String), type: expect.any(String) });
    }
    expect((await projectList(await cliAs(member.email))).map((p) => p.id)).toEqual([projectId]);
  });

  it('project:list (PLATFORMSH_CLI_API_ORGANIZATIONS=0): GET /me lists the projects', async () => {
    const me = await admin.get('/me');
    expect(me.projects).toContainEqual(expect.objectContaining({ id: projectId, title: 'Compat', vendor: 'upsun', endpoint: expect.stringContaining(`/projects/${projectId}`) }));
  });

  it('project:info: repository, organization and vendor', async () => {
    const project = await admin.get(`/projects/${projectId}`);
    expect(project.repository).toEqual({ url: `ssh://${projectId}@ssh.pier.test:2222/${projectId}.git`, client_ssh_key: null });
    expect(project).toMatchObject({ vendor: 'upsun', organization: expect.any(String), default_branch: 'main' });
  });

  it('environment:list, environment:info (with its settings) and environment:ssh --pipe', async () => {
    const { environment } = await admin.environment(projectId, 'main');
    expect(environment).toMatchObject({ id: 'main', title: 'main', status: 'active', type: 'production', parent: null });
    const settings = await admin.get(`${admin.link(environment, 'self')}/settings`);
    expect(settings.enable_manual_deployments).toBe(false);
    expect(PlatformshClient.sshTarget(admin.link(environment, 'ssh'))).toBe(`${projectId}-${environment.machine_name}@ssh.pier.test`);
    expect(admin.link(environment, 'ssh')).toBe(`ssh://${projectId}-${environment.machine_name}@ssh.pier.test:2222`);
  });

  it('environment:branch, deactivate, activate and redeploy through the action links', async () => {
    let { environment: main } = await admin.environment(projectId, 'main');
    const branched = await admin.call('POST', admin.link(main, '#branch'), { name: 'feature', title: 'Feature', type: 'development', clone_parent: true });
    expect(branched.status).toBe(201);
    let { environment: feature } = await admin.environment(projectId, 'feature');
    expect((await admin.call('POST', admin.link(feature, '#deactivate'))).status).toBe(200);
    ({ environment: feature } = await admin.environment(projectId, 'feature'));
    expect(feature.status).toBe('inactive');
    expect(() => admin.link(feature, 'ssh')).toThrow('Link not found: ssh');
    expect((await admin.call('POST', admin.link(feature, '#activate'))).status).toBe(200);
    ({ environment: main } = await admin.environment(projectId, 'main'));
    const redeploy = await admin.call<Json>('POST', admin.link(main, '#redeploy'));
    expect(redeploy.status).toBe(202);
    expect(redeploy.body._embedded.activities[0]).toMatchObject({ type: 'environment.redeploy' });
  });

  it('user:add: types, users with their e-mails, then an invitation (409 when already pending)', async () => {
    const project = await admin.get(`/projects/${projectId}`);
    expect((await admin.get<Json[]>(`/projects/${projectId}/environment-types`)).map((t) => t.id).sort()).toEqual(['development', 'production', 'staging']);
    const access = await admin.get(`${admin.link(project, 'self')}/user-access?page[size]=200`);
    const emails = (access.items as Json[]).map((item) => access['ref:users'][item.user_id]?.email);
    expect(emails).toContain(member.email);
    expect(access['ref:organizations']?.[project.organization]).toMatchObject({ id: project.organization });
    const invitation = { email: `bot-${kind}@example.com`, role: 'viewer', force: false, permissions: [{ type: 'development', role: 'contributor' }] };
    expect((await admin.call('POST', `/projects/${projectId}/invitations`, invitation)).status).toBe(201);
    expect((await admin.call('POST', `/projects/${projectId}/invitations`, invitation)).status).toBe(409);
  });

  it('user:list: every item has a permissions array and an e-mail; the organization has capabilities', async () => {
    const project = await admin.get(`/projects/${projectId}`);
    const access = await admin.get(`${admin.link(project, 'self')}/user-access?page[size]=200`);
    for (const item of access.items as Json[]) {
      expect(Array.isArray(item.permissions)).toBe(true);
      expect(access['ref:users'][item.user_id]).toMatchObject({ email: expect.stringContaining('@'), first_name: expect.any(String), last_name: expect.any(String) });
    }
    const owner = (access.items as Json[]).find((item) => item.user_id === project.owner);
    expect(owner?.permissions).toEqual(['admin']);
    expect((await admin.get(`/organizations/${project.organization}`)).capabilities).toEqual([]);
  });

  it('user:list (legacy mode): the project access link, users embedded', async () => {
    const project = await admin.get(`/projects/${projectId}`);
    const access = await admin.get<Json[]>(admin.link(project, 'access'));
    const item = access.find((a) => a.id === member.id);
    expect(item).toMatchObject({ role: 'viewer' });
    expect(item?._embedded.users.find((u: Json) => u.id === member.id)).toMatchObject({ email: member.email });
  });

  it('user:get, user:update and user:delete through the item and its links', async () => {
    const item = await admin.get(`/projects/${projectId}/user-access/${member.id}`);
    expect(item['ref:users'][member.id]).toMatchObject({ email: member.email });
    expect((await admin.call('PATCH', admin.link(item, 'update'), { permissions: ['viewer', 'development:admin'] })).status).toBe(204);
    expect((await admin.get(`/projects/${projectId}/user-access/${member.id}`)).permissions).toEqual(['viewer', 'development:admin']);
    expect((await admin.call('DELETE', admin.link(item, 'self'))).status).toBe(204);
    expect((await admin.call('GET', `/projects/${projectId}/user-access/${member.id}`)).status).toBe(404);
  });

  it('an environment viewer gets no ssh link ("You may not have permission to SSH")', async () => {
    const email = `prod-viewer-${kind}@example.com`;
    await createUser(ctx.server, email);
    await grantInProcess(ctx.server, owner, projectId, await actorInProcess(ctx.server, email, { existing: true }), ['viewer', 'production:viewer']);
    const { environment } = await (await cliAs(email)).environment(projectId, 'main');
    expect(environment._links.ssh).toBeUndefined();
    expect(environment._links['#variables']).toBeDefined();
  });
});
