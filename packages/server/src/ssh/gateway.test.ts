/**
 * Real OpenSSH end to end: sshd run by `pier-server ssh-gateway`, the system's ssh, git, rsync and
 * scp as clients, certificates from POST /ssh. Needs root (sshd) and openssh-server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { canRunGateway, gatewaySettings, sshClient, startGateway, type Gateway } from '../../../../test-support/ssh-gateway.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { runProgram } from '../../../../test-support/programs.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';
import { loadCertificateAuthority } from './authority.js';
import { parsePublicKeyLine } from './public-keys.js';
import { permitExtensions, signCertificate, USER_CERTIFICATE } from './certificates.js';

const settings = await gatewaySettings();

// Every SSH connection starts Pier twice (principals, session) and every push twice more (hooks).
describe.runIf(canRunGateway)('SSH gateway with real OpenSSH', { timeout: 120_000 }, () => {
  const ctx = useListeningServer('sqlite', { env: settings });
  let gateway: Gateway;
  let admin: TestActor;
  let projectId: string;

  beforeAll(async () => {
    gateway = await startGateway(ctx.server);
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Git');
  });
  afterAll(() => gateway?.stop());

  const client = (who: TestActor, certificate?: (publicKey: string) => string) => sshClient(ctx.server, gateway, who, projectId, certificate);

  it('lets an admin clone, push, run commands with the runtime variables, rsync and scp', async () => {
    await request(`${ctx.server.url}/projects/${projectId}/environments/main/variables`, { headers: admin.headers, json: { name: 'env:GREETING', value: 'hello from pier', is_sensitive: true } });
    const me = await client(admin);
    expect((await me.git(['clone', `gateway:${projectId}.git`, 'repo'])).status).toBe(0);
    const repo = path.join(me.dir, 'repo');
    fs.writeFileSync(path.join(repo, 'README.md'), '# shop\n');
    await me.git(['add', '.'], repo);
    await me.git(['commit', '-qm', 'first'], repo);
    const push = await me.git(['push', 'origin', 'HEAD:main'], repo);
    expect(push.status, push.output).toBe(0);
    const head = (await me.git(['rev-parse', 'HEAD'], repo)).output.trim();
    const main = await request(`${ctx.server.url}/projects/${projectId}/environments/main`, { headers: admin.headers });
    expect(main.body).toMatchObject({ head_commit: head, has_code: true });

    const echo = await me.ssh('main.pier', 'echo "$PIER_BRANCH|$PIER_ENVIRONMENT_TYPE|$GREETING|$(pwd)|$(id -un)"');
    expect(echo.status, echo.output).toBe(0);
    const [branch, type, greeting, cwd, user] = echo.output.trim().split('|');
    expect([branch, type, greeting, cwd, user]).toEqual(['main', 'production', 'hello from pier', '/app', 'web']);

    fs.writeFileSync(path.join(me.dir, 'upload.txt'), 'via rsync\n');
    const rsync = await runProgram('rsync', ['-a', '-e', `ssh -F ${me.config}`, path.join(me.dir, 'upload.txt'), 'main.pier:/data/uploads/']);
    expect(rsync.status, rsync.stderr).toBe(0);
    const scp = await runProgram('scp', ['-F', me.config, path.join(me.dir, 'upload.txt'), 'main.pier:/data/copied.txt']);
    expect(scp.status, scp.stderr).toBe(0);
    expect((await me.ssh('main.pier', 'cat /data/uploads/upload.txt /data/copied.txt')).output).toBe('via rsync\nvia rsync\n');
  });

  it('answers to the Platform.sh names (<project> for git, <project>-<machine name> for a shell) and to no host account', async () => {
    const me = await client(admin);
    const main = await apiAs(ctx.server, admin.headers).GET('/projects/{projectId}/environments/{environmentId}', { params: { path: { projectId, environmentId: 'main' } } });
    await gateway.waitForLogin(projectId);
    const clone = await me.git(['clone', `${projectId}@gateway:${projectId}.git`, 'by-project-name']);
    expect(clone.status, clone.output).toBe(0);
    const shell = await me.ssh(`${projectId}-${main.data!.machine_name}@gateway`, 'echo "$PIER_BRANCH"');
    expect(shell.output.trim()).toBe('main');
    // root exists on the host, but is no login name of the gateway's; neither is a made-up one.
    for (const login of ['root', 'nosuchproject-main-abc']) {
      const refused = await me.ssh(`${login}@gateway`, 'true');
      expect(refused.status, login).not.toBe(0);
      expect(refused.output).toContain('Permission denied');
    }
  });

  it('creates an inactive development environment for a new branch', async () => {
    const me = await client(admin);
    await me.git(['clone', `gateway:${projectId}.git`, 'repo']);
    const repo = path.join(me.dir, 'repo');
    await me.git(['checkout', '-qb', 'feature/login'], repo);
    fs.writeFileSync(path.join(repo, 'login.txt'), 'login\n');
    await me.git(['add', '.'], repo);
    await me.git(['commit', '-qm', 'login'], repo);
    const push = await me.git(['push', 'origin', 'feature/login'], repo);
    expect(push.status, push.output).toBe(0);
    expect(push.output).toContain('Created the inactive development environment feature/login');
    const env = await request(`${ctx.server.url}/projects/${projectId}/environments/${encodeURIComponent('feature/login')}`, { headers: admin.headers });
    expect(env.body).toMatchObject({ type: 'development', status: 'inactive', parent: 'main', head_commit: (await me.git(['rev-parse', 'HEAD'], repo)).output.trim() });
  });

  it('lets a viewer machine user clone but not push, and a contributor push but not force-push', async () => {
    const viewer = await actor(ctx.server, 'reader-bot@example.com');
    await grant(ctx.server, admin, projectId, viewer, ['viewer', 'production:viewer', 'development:viewer']);
    const reader = await client(viewer);
    expect((await reader.git(['clone', `gateway:${projectId}.git`, 'repo'])).status).toBe(0);
    const repo = path.join(reader.dir, 'repo');
    fs.writeFileSync(path.join(repo, 'x.txt'), 'x\n');
    await reader.git(['add', '.'], repo);
    await reader.git(['commit', '-qm', 'x'], repo);
    const refused = await reader.git(['push', 'origin', 'HEAD:main'], repo);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('missing: production:contributor');
    expect((await reader.ssh('main.pier', 'true')).status).not.toBe(0);

    const contributor = await actor(ctx.server, 'writer-bot@example.com');
    await grant(ctx.server, admin, projectId, contributor, ['viewer', 'production:contributor']);
    const writer = await client(contributor);
    await writer.git(['clone', `gateway:${projectId}.git`, 'repo']);
    const wrepo = path.join(writer.dir, 'repo');
    fs.writeFileSync(path.join(wrepo, 'y.txt'), 'y\n');
    await writer.git(['add', '.'], wrepo);
    await writer.git(['commit', '-qm', 'y'], wrepo);
    expect((await writer.git(['push', 'origin', 'HEAD:main'], wrepo)).status).toBe(0);
    await writer.git(['reset', '-q', '--hard', 'HEAD~1'], wrepo);
    fs.writeFileSync(path.join(wrepo, 'z.txt'), 'z\n');
    await writer.git(['add', '.'], wrepo);
    await writer.git(['commit', '-qm', 'rewrite'], wrepo);
    const force = await writer.git(['push', '--force', 'origin', 'HEAD:main'], wrepo);
    expect(force.status).not.toBe(0);
    expect(force.output).toContain('missing: production:admin');
  });

  it('refuses outsiders, expired certificates and certificates of revoked tokens', async () => {
    const outsider = await client(await actor(ctx.server, 'outsider@example.com'));
    const clone = await outsider.git(['clone', `gateway:${projectId}.git`, 'repo']);
    expect(clone.status).not.toBe(0);
    expect(clone.output).toContain('Project not found');

    const ca = loadCertificateAuthority(ctx.server.dataDir, 'pier-ca');
    const expired = await client(admin, (publicKey) =>
      signCertificate(
        ca,
        {
          key: parsePublicKeyLine(publicKey),
          type: USER_CERTIFICATE,
          keyId: admin.userId,
          principals: [admin.userId],
          validAfter: new Date(Date.now() - 7_200_000),
          validBefore: new Date(Date.now() - 3_600_000),
          extensions: Object.fromEntries(permitExtensions.map((e) => [e, ''])),
        },
        'expired',
      ),
    );
    const late = await expired.git(['ls-remote', `gateway:${projectId}.git`]);
    expect(late.status).not.toBe(0);
    expect(late.output).toContain('Permission denied');

    const doomed = await actor(ctx.server, 'doomed@example.com');
    await grant(ctx.server, admin, projectId, doomed, ['admin']);
    const doomedClient = await client(doomed);
    expect((await doomedClient.git(['ls-remote', `gateway:${projectId}.git`])).status).toBe(0);
    const tokens = await request<Array<{ id: string }>>(`${ctx.server.url}/users/me/api-tokens`, { headers: doomed.headers });
    await request(`${ctx.server.url}/users/me/api-tokens/${tokens.body[0]!.id}`, { method: 'DELETE', headers: doomed.headers });
    const after = await doomedClient.git(['ls-remote', `gateway:${projectId}.git`]);
    expect(after.status).not.toBe(0);
    expect(after.output).toContain('Permission denied');
  });
});
