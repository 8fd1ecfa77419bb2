/**
 * ssh-cert:*, ssh, project:get, environment:push and source-operation:* against a real server and
 * a real OpenSSH gateway (`pier-server ssh-gateway`), with the system's ssh, git, rsync and scp as
 * clients. Needs root (sshd) and openssh-server. Every SSH connection starts Pier on the gateway
 * (1–3 s here), so the tests make few of them.
 *
 * ssh reads `~/.ssh/config` from the passwd entry's home, not from $HOME, so the "plain" tools
 * are given the test's own `$HOME/.ssh/config` with -F: the file the CLI wrote, nothing added.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor, grant } from '../../../../test-support/actors.js';
import { ADMIN_EMAIL, createApiToken, type PierServer } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { runProgram, type ProgramResult } from '../../../../test-support/programs.js';
import { canRunGateway, gatewaySettings, startGateway, type Gateway } from '../../../../test-support/ssh-gateway.js';
import { ciEnv, runCli, tempDir, type CliResult } from '../testing/run-cli.js';

const sourceConfig = `applications:
  app:
    source:
      operations:
        update:
          command: |
            echo "updating VERSION on $PIER_BRANCH"
            echo "$RELEASE" > VERSION
        broken:
          command: echo "about to fail"; touch not-committed; exit 3
`;

describe.runIf(canRunGateway)('SSH commands with real OpenSSH', { timeout: 120_000 }, () => {
  let server: PierServer;
  let gateway: Gateway;
  let projectId: string;
  let adminEnv: Record<string, string | undefined>;
  let viewerEnv: Record<string, string | undefined>;

  beforeAll(async () => {
    server = await startListeningServer({ env: await gatewaySettings() });
    gateway = await startGateway(server);
    const admin = await actor(server, ADMIN_EMAIL, { existing: true });
    adminEnv = ciEnv(server, { PIER_CLI_TOKEN: await createApiToken(server, ADMIN_EMAIL, 'ci') });
    projectId = (await runCli(['project:create', '--title', 'Shop'], { env: adminEnv })).stdout.trim();
    const viewer = await actor(server, 'reader-bot@example.com');
    await grant(server, admin, projectId, viewer, ['viewer', 'production:viewer', 'development:viewer']);
    viewerEnv = ciEnv(server, { PIER_CLI_TOKEN: await createApiToken(server, viewer.email, 'checkout') });
  });
  afterAll(async () => {
    await gateway?.stop();
    await server?.stop();
  });

  /** A program run as a CI job's shell would: its HOME, the token, the API URL, nothing else of ours. */
  function plain(env: Record<string, string | undefined>, program: string, args: string[], cwd?: string): Promise<ProgramResult> {
    const userConfig = path.join(env.HOME!, '.ssh', 'config');
    return runProgram(program, args, {
      cwd: cwd ?? env.HOME,
      env: { PATH: process.env.PATH, HOME: env.HOME, PIER_CLI_TOKEN: env.PIER_CLI_TOKEN, PIER_CLI_API_URL: env.PIER_CLI_API_URL, GIT_SSH_COMMAND: `ssh -F ${userConfig}` },
    });
  }
  const git = (env: Record<string, string | undefined>, args: string[], cwd?: string) => plain(env, 'git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', ...args], cwd);
  const ssh = (env: Record<string, string | undefined>, host: string, command: string) => plain(env, 'ssh', ['-F', path.join(env.HOME!, '.ssh', 'config'), host, command]);
  const pier = (env: Record<string, string | undefined>, ...args: string[]): Promise<CliResult> => runCli(args, { env });

  it('after ssh-cert:load --no-interaction, plain git clone and push, ssh, rsync and scp work', async () => {
    const load = await pier(adminEnv, 'ssh-cert:load', '--no-interaction');
    expect(load.stderr, load.stderr).toContain('Generating SSH certificate...');
    expect(load.code).toBe(0);
    expect(load.stderr).toContain('  Mode: app\nThe certificate will be automatically refreshed when necessary.');
    expect(load.stderr).toMatch(/Configuration file created successfully: .*\.ssh\/config/);
    const home = adminEnv.HOME!;
    const sshDir = path.join(home, '.pier', 'ssh');
    expect(fs.statSync(sshDir).mode & 0o777).toBe(0o700);
    for (const file of ['id_ed25519', 'id_ed25519.pub', 'id_ed25519-cert.pub', 'known_hosts', 'config']) expect(fs.statSync(path.join(sshDir, file)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(home, '.ssh', 'config'), 'utf8')).toBe(
      `# BEGIN: Pier certificate configuration\nHost pier *.pier\n  Include ${sshDir}/config\nHost *\n# END: Pier certificate configuration\n`,
    );
    expect(fs.readFileSync(path.join(sshDir, 'config'), 'utf8')).toContain(`Host main.${projectId}.pier\n  SetEnv PIER_TARGET=${projectId}/main\n`);

    expect((await git(adminEnv, ['clone', `pier:${projectId}.git`, 'repo'])).status).toBe(0);
    const repo = path.join(home, 'repo');
    fs.mkdirSync(path.join(repo, '.pier'));
    fs.writeFileSync(path.join(repo, '.pier', 'config.yaml'), sourceConfig);
    fs.writeFileSync(path.join(repo, 'README.md'), '# shop\n');
    await git(adminEnv, ['add', '.'], repo);
    await git(adminEnv, ['commit', '-qm', 'first'], repo);
    const push = await git(adminEnv, ['push', 'origin', 'HEAD:main'], repo);
    expect(push.status, push.output).toBe(0);
    const info = await pier(adminEnv, 'environment:info', 'head_commit', '-p', projectId, '-e', 'main');
    expect(info.stdout.trim()).toBe((await git(adminEnv, ['rev-parse', 'HEAD'], repo)).output.trim());

    const echo = await ssh(adminEnv, `main.${projectId}.pier`, 'echo "$PIER_BRANCH|$PIER_PROJECT"');
    expect(echo.output).toBe(`main|${projectId}\n`);
    fs.writeFileSync(path.join(home, 'upload.txt'), 'via rsync\n');
    const userConfig = path.join(home, '.ssh', 'config');
    const rsync = await plain(adminEnv, 'rsync', ['-a', '-e', `ssh -F ${userConfig}`, 'upload.txt', `main.${projectId}.pier:/data/uploads/`]);
    expect(rsync.status, rsync.output).toBe(0);
    const scp = await plain(adminEnv, 'scp', ['-F', userConfig, 'upload.txt', `main.${projectId}.pier:/data/copied.txt`]);
    expect(scp.status, scp.output).toBe(0);
    // <project>.pier is the default environment.
    expect((await ssh(adminEnv, `${projectId}.pier`, 'cat /data/uploads/upload.txt /data/copied.txt')).output).toBe('via rsync\nvia rsync\n');
  });

  it('ssh-cert:info shows the certificate: key id = user id, type, validity, extensions', async () => {
    const info = await pier(adminEnv, 'ssh-cert:info', '--format', 'json');
    expect(info.code, info.stderr).toBe(0);
    const properties = JSON.parse(info.stdout) as Record<string, unknown>;
    const me = JSON.parse((await pier(adminEnv, 'auth:info', '--format', 'json')).stdout) as { id: string };
    expect(properties).toMatchObject({
      filename: path.join(adminEnv.HOME!, '.pier', 'ssh', 'id_ed25519-cert.pub'),
      key_id: me.id,
      key_type: 'ssh-ed25519-cert-v01@openssh.com',
      principals: [me.id],
      extensions: { 'permit-pty': '', 'auth-method@pier': 'access_token' },
    });
    const lifetime = Date.parse(String(properties.valid_before)) - Date.parse(String(properties.valid_after));
    expect(lifetime).toBe(65 * 60_000); // one hour, back-dated five minutes
    expect((await pier(adminEnv, 'ssh-cert:info', '-P', 'key_type')).stdout).toBe('ssh-ed25519-cert-v01@openssh.com\n');
    // ssh-keygen agrees with our reading of the file.
    const listed = spawnSync('ssh-keygen', ['-L', '-f', String(properties.filename)], { encoding: 'utf8' }).stdout;
    expect(listed).toContain(`Key ID: "${me.id}"`);
  });

  it('pier ssh passes the exit code through; plain ssh renews an expiring certificate by itself', async () => {
    const run = await pier(adminEnv, 'ssh', '-p', projectId, '-e', 'main', 'echo "on $PIER_BRANCH"; exit 7');
    expect(run.stdout).toBe('on main\n');
    expect(run.code).toBe(7);

    // An hour later: the certificate has expired, and the hook's renewal time has passed.
    const sshDir = path.join(adminEnv.HOME!, '.pier', 'ssh');
    const certificate = path.join(sshDir, 'id_ed25519-cert.pub');
    const keyId = spawnSync('ssh-keygen', ['-L', '-f', certificate], { encoding: 'utf8' }).stdout.match(/Key ID: "([^"]+)"/)?.[1] ?? '';
    const ca = path.join(tempDir('pier-ca-'), 'ca');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', ca]);
    fs.copyFileSync(path.join(sshDir, 'id_ed25519.pub'), `${ca}-user.pub`);
    spawnSync('ssh-keygen', ['-q', '-s', ca, '-I', keyId, '-n', keyId, '-V', '20200101000000:20200101010000', `${ca}-user.pub`]);
    fs.copyFileSync(`${ca}-user-cert.pub`, certificate);
    const script = path.join(sshDir, 'refresh');
    fs.writeFileSync(script, fs.readFileSync(script, 'utf8').replace(/-lt \d+ \]/, '-lt 0 ]'));

    const renewed = await ssh(adminEnv, `main.${projectId}.pier`, 'echo renewed');
    expect(renewed.output).toBe('renewed\n');
    expect(spawnSync('ssh-keygen', ['-L', '-f', certificate], { encoding: 'utf8' }).stdout).not.toContain('2020-01-01');
    expect(fs.readFileSync(script, 'utf8')).not.toMatch(/-lt 0 \]/);
  });

  it('a viewer machine user can clone with project:get but not push', async () => {
    const workdir = tempDir('pier-get-');
    const get = await runCli(['project:get', projectId, 'shop'], { env: viewerEnv, cwd: workdir });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stderr).toContain(`The project Shop was successfully downloaded to: ${path.join(workdir, 'shop')}`);
    const checkout = path.join(workdir, 'shop');
    expect(fs.readFileSync(path.join(checkout, 'README.md'), 'utf8')).toBe('# shop\n');
    expect(fs.readFileSync(path.join(checkout, '.pier', 'local', 'project.yaml'), 'utf8')).toBe(`id: ${projectId}\n`);
    fs.writeFileSync(path.join(checkout, 'x.txt'), 'x\n');
    await git(viewerEnv, ['add', 'x.txt'], checkout);
    await git(viewerEnv, ['commit', '-qm', 'x'], checkout);
    // The project and target come from the checkout.
    const push = await runCli(['environment:push'], { env: viewerEnv, cwd: checkout });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('missing: production:contributor');
  });

  it('five parallel ssh-cert:load runs leave one valid set of files and ask for one certificate', async () => {
    const env = ciEnv(server, { PIER_CLI_TOKEN: adminEnv.PIER_CLI_TOKEN });
    const requestsBefore = certificateRequests(server);
    const results = await Promise.all(Array.from({ length: 5 }, () => pier(env, 'ssh-cert:load', '--yes')));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect(results.filter((result) => result.stderr.includes('Generating SSH certificate...'))).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(certificateRequests(server) - requestsBefore).toBe(1);

    const sshDir = path.join(env.HOME!, '.pier', 'ssh');
    const publicKey = spawnSync('ssh-keygen', ['-y', '-f', path.join(sshDir, 'id_ed25519')], { encoding: 'utf8' }).stdout.split(' ')[1];
    const certified = spawnSync('ssh-keygen', ['-L', '-f', path.join(sshDir, 'id_ed25519-cert.pub')], { encoding: 'utf8' });
    expect(certified.status).toBe(0);
    expect(fs.readFileSync(path.join(sshDir, 'id_ed25519.pub'), 'utf8').split(' ')[1]).toBe(publicKey);
    expect(fs.readdirSync(sshDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(fs.readFileSync(path.join(env.HOME!, '.ssh', 'config'), 'utf8').match(/# BEGIN: Pier/g)).toHaveLength(1);
    const info = await pier(env, 'ssh-cert:info', '--no-refresh', '-P', 'key_type');
    expect(info.stdout).toBe('ssh-ed25519-cert-v01@openssh.com\n');
  });

  it('source-operation:list and run: a commit by the user; a failing command commits nothing', async () => {
    const list = await pier(adminEnv, 'source-operation:list', '-p', projectId, '-e', 'main', '--format', 'csv');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^Operation,App,Command\nupdate,app,"echo ""updating VERSION on \$PIER_BRANCH""\necho ""\$RELEASE"" > VERSION"\nbroken,app,/);
    const head = async () => (await pier(adminEnv, 'environment:info', 'head_commit', '-p', projectId, '-e', 'main')).stdout.trim();
    const before = await head();

    const update = await pier(adminEnv, 'source-operation:run', 'update', '--variable', 'env:RELEASE=2.0', '--yes', '-p', projectId, '-e', 'main');
    expect(update.code, update.stderr).toBe(0);
    expect(update.stderr).toContain('Running source operation update');
    expect(update.stderr).toContain('updating VERSION on main');
    expect(update.stderr).toContain('The activity succeeded: [');
    const after = await head();
    expect(after).not.toBe(before);
    const bare = path.join(server.dataDir, 'git', `${projectId}.git`);
    const show = spawnSync('git', ['--git-dir', bare, 'show', `${after}:VERSION`], { encoding: 'utf8' });
    expect(show.stdout).toBe('2.0\n');
    expect(spawnSync('git', ['--git-dir', bare, 'log', '-1', '--format=%ae', after], { encoding: 'utf8' }).stdout).toBe(`${ADMIN_EMAIL}\n`);

    const broken = await pier(adminEnv, 'source-operation:run', 'broken', '--yes', '-p', projectId, '-e', 'main');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('about to fail');
    expect(broken.stderr).toContain('The activity failed: [');
    expect(await head()).toBe(after);

    const unknown = await pier(adminEnv, 'source-operation:run', 'deploy', '-p', projectId, '-e', 'main');
    expect(unknown.stderr).toContain('The source operation deploy was not found on the environment main.');
    expect(unknown.code).toBe(1);
  });
});

/** POST /ssh requests the server has handled (it logs every request). */
function certificateRequests(server: PierServer): number {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"request completed"') && line.includes('"method":"POST"') && line.includes('"url":"/ssh"')).length;
}
