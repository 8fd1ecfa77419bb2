/**
 * Real OpenSSH end to end: sshd run by `pier-server ssh-gateway`, the system's ssh, git, rsync and
 * scp as clients, certificates from POST /ssh. Needs root (sshd) and openssh-server.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, freePort, serverBin } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';
import { loadCertificateAuthority } from './authority.js';
import { parsePublicKeyLine } from './public-keys.js';
import { permitExtensions, signCertificate, USER_CERTIFICATE } from './certificates.js';

const runnable = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/sshd');
const sshPort = await freePort();
const gatewayDir = `/var/lib/pier-test-gateway-${randomBytes(4).toString('hex')}`;

interface Client {
  config: string;
  dir: string;
  git(args: string[], cwd?: string): { status: number; output: string };
  ssh(host: string, command: string): { status: number; output: string };
}

// Every SSH connection starts Pier twice (principals, session) and every push twice more (hooks).
describe.runIf(runnable)('SSH gateway with real OpenSSH', { timeout: 120_000 }, () => {
  const ctx = usePierServer('sqlite', { env: { PIER_SSH_PORT: String(sshPort), PIER_SSH_GATEWAY_DIR: gatewayDir } });
  let gateway: ChildProcess;
  let admin: TestActor;
  let projectId: string;
  let knownHosts: string;

  beforeAll(async () => {
    gateway = spawn(process.execPath, [serverBin, 'ssh-gateway'], { env: { ...ctx.server.env, PIER_SSH_PORT: String(sshPort), PIER_SSH_GATEWAY_DIR: gatewayDir }, stdio: 'ignore' });
    await waitForPort(sshPort);
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Git');
    const authority = await request<{ authorities: string[] }>(`${ctx.server.url}/ssh/authority`);
    knownHosts = `@cert-authority [127.0.0.1]:${sshPort} ${authority.body.authorities[0]!.trim()}\n`;
  });
  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    fs.rmSync(gatewayDir, { recursive: true, force: true });
  });

  async function client(who: TestActor, certificate?: string): Promise<Client> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-ssh-client-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
    const cert = certificate
      ? certificate(fs.readFileSync(path.join(dir, 'id.pub'), 'utf8'))
      : (await request<{ certificate: string }>(`${ctx.server.url}/ssh`, { headers: who.headers, json: { key: fs.readFileSync(path.join(dir, 'id.pub'), 'utf8') } })).body.certificate;
    fs.writeFileSync(path.join(dir, 'id-cert.pub'), `${cert}\n`);
    fs.writeFileSync(path.join(dir, 'known_hosts'), knownHosts);
    const common = [
      `  HostName 127.0.0.1`,
      `  Port ${sshPort}`,
      `  User ${os.userInfo().username}`,
      `  IdentityFile ${dir}/id`,
      `  CertificateFile ${dir}/id-cert.pub`,
      `  IdentitiesOnly yes`,
      `  UserKnownHostsFile ${dir}/known_hosts`,
      `  StrictHostKeyChecking yes`,
      `  BatchMode yes`,
    ];
    const config = path.join(dir, 'config');
    fs.writeFileSync(config, [`Host gateway`, ...common, `Host *.pier`, ...common, `Host main.pier`, `  SetEnv PIER_TARGET=${projectId}/main`, ''].join('\n'));
    const run = (program: string, args: string[], cwd = dir) => {
      const result = spawnSync(program, args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_SSH_COMMAND: `ssh -F ${config}` } });
      return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
    };
    return {
      config,
      dir,
      git: (args, cwd) => run('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', ...args], cwd),
      ssh: (host, command) => run('ssh', ['-F', config, host, command]),
    };
  }

  it('lets an admin clone, push, run commands with the runtime variables, rsync and scp', async () => {
    await request(`${ctx.server.url}/projects/${projectId}/environments/main/variables`, { headers: admin.headers, json: { name: 'env:GREETING', value: 'hello from pier', is_sensitive: true } });
    const me = await client(admin);
    expect(me.git(['clone', `gateway:${projectId}.git`, 'repo']).status).toBe(0);
    const repo = path.join(me.dir, 'repo');
    fs.writeFileSync(path.join(repo, 'README.md'), '# shop\n');
    me.git(['add', '.'], repo);
    me.git(['commit', '-qm', 'first'], repo);
    const push = me.git(['push', 'origin', 'HEAD:main'], repo);
    expect(push.status, push.output).toBe(0);
    const head = me.git(['rev-parse', 'HEAD'], repo).output.trim();
    const main = await request(`${ctx.server.url}/projects/${projectId}/environments/main`, { headers: admin.headers });
    expect(main.body).toMatchObject({ head_commit: head, has_code: true });

    const echo = me.ssh('main.pier', 'echo "$PIER_BRANCH|$PIER_ENVIRONMENT_TYPE|$GREETING|$(pwd)"');
    expect(echo.status, echo.output).toBe(0);
    const [branch, type, greeting, cwd] = echo.output.trim().split('|');
    expect([branch, type, greeting]).toEqual(['main', 'production', 'hello from pier']);
    expect(cwd).toContain(`/projects/${projectId}/environments/`);

    fs.writeFileSync(path.join(me.dir, 'upload.txt'), 'via rsync\n');
    const rsync = spawnSync('rsync', ['-a', '-e', `ssh -F ${me.config}`, path.join(me.dir, 'upload.txt'), 'main.pier:uploads/'], { encoding: 'utf8' });
    expect(rsync.status, rsync.stderr).toBe(0);
    const scp = spawnSync('scp', ['-F', me.config, path.join(me.dir, 'upload.txt'), 'main.pier:copied.txt'], { encoding: 'utf8' });
    expect(scp.status, scp.stderr).toBe(0);
    expect(me.ssh('main.pier', 'cat uploads/upload.txt copied.txt').output).toBe('via rsync\nvia rsync\n');
  });

  it('creates an inactive development environment for a new branch', async () => {
    const me = await client(admin);
    me.git(['clone', `gateway:${projectId}.git`, 'repo']);
    const repo = path.join(me.dir, 'repo');
    me.git(['checkout', '-qb', 'feature/login'], repo);
    fs.writeFileSync(path.join(repo, 'login.txt'), 'login\n');
    me.git(['add', '.'], repo);
    me.git(['commit', '-qm', 'login'], repo);
    const push = me.git(['push', 'origin', 'feature/login'], repo);
    expect(push.status, push.output).toBe(0);
    expect(push.output).toContain('Created the inactive development environment feature/login');
    const env = await request(`${ctx.server.url}/projects/${projectId}/environments/${encodeURIComponent('feature/login')}`, { headers: admin.headers });
    expect(env.body).toMatchObject({ type: 'development', status: 'inactive', parent: 'main', head_commit: me.git(['rev-parse', 'HEAD'], repo).output.trim() });
  });

  it('lets a viewer machine user clone but not push, and a contributor push but not force-push', async () => {
    const viewer = await actor(ctx.server, 'reader-bot@example.com');
    await grant(ctx.server, admin, projectId, viewer, ['viewer', 'production:viewer', 'development:viewer']);
    const reader = await client(viewer);
    expect(reader.git(['clone', `gateway:${projectId}.git`, 'repo']).status).toBe(0);
    const repo = path.join(reader.dir, 'repo');
    fs.writeFileSync(path.join(repo, 'x.txt'), 'x\n');
    reader.git(['add', '.'], repo);
    reader.git(['commit', '-qm', 'x'], repo);
    const refused = reader.git(['push', 'origin', 'HEAD:main'], repo);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('missing: production:contributor');
    expect(reader.ssh('main.pier', 'true').status).not.toBe(0);

    const contributor = await actor(ctx.server, 'writer-bot@example.com');
    await grant(ctx.server, admin, projectId, contributor, ['viewer', 'production:contributor']);
    const writer = await client(contributor);
    writer.git(['clone', `gateway:${projectId}.git`, 'repo']);
    const wrepo = path.join(writer.dir, 'repo');
    fs.writeFileSync(path.join(wrepo, 'y.txt'), 'y\n');
    writer.git(['add', '.'], wrepo);
    writer.git(['commit', '-qm', 'y'], wrepo);
    expect(writer.git(['push', 'origin', 'HEAD:main'], wrepo).status).toBe(0);
    writer.git(['reset', '-q', '--hard', 'HEAD~1'], wrepo);
    fs.writeFileSync(path.join(wrepo, 'z.txt'), 'z\n');
    writer.git(['add', '.'], wrepo);
    writer.git(['commit', '-qm', 'rewrite'], wrepo);
    const force = writer.git(['push', '--force', 'origin', 'HEAD:main'], wrepo);
    expect(force.status).not.toBe(0);
    expect(force.output).toContain('missing: production:admin');
  });

  it('refuses outsiders, expired certificates and certificates of revoked tokens', async () => {
    const outsider = await client(await actor(ctx.server, 'outsider@example.com'));
    const clone = outsider.git(['clone', `gateway:${projectId}.git`, 'repo']);
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
    const late = expired.git(['ls-remote', `gateway:${projectId}.git`]);
    expect(late.status).not.toBe(0);
    expect(late.output).toContain('Permission denied');

    const doomed = await actor(ctx.server, 'doomed@example.com');
    await grant(ctx.server, admin, projectId, doomed, ['admin']);
    const doomedClient = await client(doomed);
    expect(doomedClient.git(['ls-remote', `gateway:${projectId}.git`]).status).toBe(0);
    const tokens = await request<Array<{ id: string }>>(`${ctx.server.url}/users/me/api-tokens`, { headers: doomed.headers });
    await request(`${ctx.server.url}/users/me/api-tokens/${tokens.body[0]!.id}`, { method: 'DELETE', headers: doomed.headers });
    const after = doomedClient.git(['ls-remote', `gateway:${projectId}.git`]);
    expect(after.status).not.toBe(0);
    expect(after.output).toContain('Permission denied');
  });
});

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd did not listen on ${port}`);
}
