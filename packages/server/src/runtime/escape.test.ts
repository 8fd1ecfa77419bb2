/**
 * Tenant isolation, tried as an attacker would: a machine user with only `viewer` +
 * `development:contributor` pushes code that tries to reach what it must not — the instance
 * secret, the database, the CA key, the gateway folder, production's and another project's files,
 * the server's environment — through every channel that runs user code: build hook, deploy hook,
 * cron, source operation, SSH exec, an SSH shell with a pty, scp, rsync and sftp. Every attempt
 * fails; every channel still does its job. Real sshd, real bubblewrap.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';
import { waitForActivity, type ActivityBody } from '../../../../test-support/activities.js';
import { canRunGateway, gatewaySettings, pushFiles, sshClient, startGateway, type Gateway, type SshClient } from '../../../../test-support/ssh-gateway.js';
import { runProgram } from '../../../../test-support/programs.js';

const settings = await gatewaySettings();

/** Runs a client to its end without holding up the event loop, so that several can run at once. */
const exitCodeOf = async (command: string, args: string[], input?: string) => (await runProgram(command, args, input === undefined ? {} : { input })).status;

type Accepted = { _embedded: { activities: ActivityBody[] } };
type Environment = { id: string; machine_name: string };

describe.runIf(canRunGateway)('a development contributor cannot leave its environment', { timeout: 240_000 }, () => {
  const ctx = usePierServer('sqlite', { env: settings });
  let gateway: Gateway;
  let admin: TestActor;
  let bot: TestActor;
  let botSsh: SshClient;
  let projectId: string;
  let otherProjectId: string;
  let dev: Environment;
  let main: Environment;
  let devLogin: string;
  /** Host paths the probe must not reach. */
  let forbidden: string[];

  const environmentRoot = (project: string, machineName: string) => path.join(ctx.server.dataDir, 'projects', project, 'environments', machineName);
  const logOf = async (id: string) => (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${id}/log`, { headers: admin.headers })).text();

  /** Tries everything; prints `ESCAPE …` for each success and `PROBE-DONE uid=<uid>` at the end. */
  const probe = () => `#!/bin/bash
phase="\${1:-runtime}"
# setuid-root programs are there (read-only /usr), but gain nothing. (setsid: no terminal to
# prompt on.) Each fails only after its authentication delay (a second), so both run beside the rest.
(setsid -w timeout 5 su -c 'touch /tmp/rooted' root </dev/null >/dev/null 2>&1; [ -e /tmp/rooted ] && echo "ESCAPE su") &
([ "$(setsid -w timeout 5 newgrp root </dev/null 2>/dev/null <<< 'id -g')" = 0 ] && echo "ESCAPE newgrp") &
for target in ${forbidden.map((p) => `'${p}'`).join(' ')}; do
  cat "$target" >/dev/null 2>&1 && echo "ESCAPE read $target"
  [ -n "$(ls -A "$target" 2>/dev/null)" ] && echo "ESCAPE listed $target"
done
for depth in 1 2 3 4 5 6 7 8 9 10; do
  up=$(printf '../%.0s' $(seq "$depth"))
  for name in instance-secret pier.sqlite ssh/ca_ed25519.pem; do cat "$up$name" >/dev/null 2>&1 && echo "ESCAPE read $up$name"; done
done
cat /proc/${ctx.server.process.pid}/environ >/dev/null 2>&1 && echo "ESCAPE server environ"
grep -l -a -e PIER_ADMIN_PASSWORD -e PIER_DATA_DIR /proc/[0-9]*/environ 2>/dev/null && echo "ESCAPE some environ"
env | grep -E '^(PIER_DATA_DIR|PIER_ADMIN_PASSWORD|PIER_SECRETS_KEY|DATABASE_URL|PROD_SECRET)=' && echo "ESCAPE variables"
for dir in / /usr /etc /data/.. $([ "$phase" = build ] || echo /app); do
  touch "$dir/escape-$$" 2>/dev/null && echo "ESCAPE wrote $dir"
done
mkdir -p /tmp/m && mount -t tmpfs none /tmp/m 2>/dev/null && echo "ESCAPE mount"
grep -q '^NoNewPrivs:.1' /proc/self/status || echo "ESCAPE privileges can grow"
grep -q '^CapEff:.0000000000000000' /proc/self/status || echo "ESCAPE capabilities"
wait
echo "PROBE-DONE uid=$(id -u) phase=$phase"
`;

  beforeAll(async () => {
    gateway = await startGateway(ctx.server);
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    bot = await actor(ctx.server, 'dev-bot@example.com');
    projectId = await createProjectAs(ctx.server, admin, 'Shop');
    otherProjectId = await createProjectAs(ctx.server, admin, 'Someone else');
    await grant(ctx.server, admin, projectId, bot, ['viewer', 'development:contributor']);
    await request(`${ctx.server.url}/projects/${projectId}/environments/main/variables`, {
      headers: admin.headers,
      json: { name: 'env:PROD_SECRET', value: 'production only', is_sensitive: true, is_inheritable: false },
    });
    const branched = await apiAs(ctx.server, admin.headers).POST('/projects/{projectId}/environments/{environmentId}/branch', {
      params: { path: { projectId, environmentId: 'main' } },
      body: { name: 'dev', type: 'development' },
    });
    dev = branched.data!._embedded.entity!;
    main = (await request<Environment>(`${ctx.server.url}/projects/${projectId}/environments/main`, { headers: admin.headers })).body;
    const otherMain = (await request<Environment>(`${ctx.server.url}/projects/${otherProjectId}/environments/main`, { headers: admin.headers })).body;

    // Files that belong to production and to another project, written by their own accounts' code.
    const adminSsh = await sshClient(ctx.server, gateway, admin, projectId);
    await gateway.waitForLogin(`${projectId}-${main.machine_name}`);
    await gateway.waitForLogin(`${otherProjectId}-${otherMain.machine_name}`);
    expect((await adminSsh.ssh(`${projectId}-${main.machine_name}@gateway`, 'echo prod > /data/prod-only.txt')).status).toBe(0);
    expect((await adminSsh.ssh(`${otherProjectId}-${otherMain.machine_name}@gateway`, 'echo theirs > /data/theirs.txt')).status).toBe(0);

    const data = ctx.server.dataDir;
    forbidden = [
      path.join(data, 'instance-secret'),
      path.join(data, 'pier.sqlite'),
      path.join(data, 'ssh', 'ca_ed25519.pem'),
      data,
      gateway.dir,
      path.join(gateway.dir, 'ssh_host_ed25519_key'),
      path.join(environmentRoot(projectId, main.machine_name), 'data', 'prod-only.txt'),
      path.join(environmentRoot(otherProjectId, otherMain.machine_name), 'data', 'theirs.txt'),
      path.join(data, 'git', `${otherProjectId}.git`, 'HEAD'),
      '/root',
      '/etc/shadow',
      '/etc/ssh',
    ];
    for (const file of forbidden.slice(0, 3)) expect(fs.existsSync(file), file).toBe(true);

    botSsh = await sshClient(ctx.server, gateway, bot, projectId);
    devLogin = `${projectId}-${dev.machine_name}`;
    await gateway.waitForLogin(devLogin);
  });
  afterAll(() => gateway?.stop());

  const expectContained = (output: string, phase: string) => {
    expect(output).toMatch(new RegExp(`PROBE-DONE uid=(\\d+) phase=${phase}`));
    expect(Number(/PROBE-DONE uid=(\d+)/.exec(output)![1])).toBeGreaterThanOrEqual(1_900_000_000);
    expect(output).not.toContain('ESCAPE');
    expect(output).not.toContain('production only');
  };

  it('contains the build hook, the deploy hook, a cron and a source operation', async () => {
    const config = `applications:
  app:
    hooks:
      build: bash probe.sh build
      deploy: bash probe.sh runtime
    crons:
      probe:
        spec: '0 0 1 1 *'
        cmd: bash probe.sh runtime
    source:
      operations:
        probe:
          command: bash probe.sh build && date > probed.txt
`;
    await pushFiles(botSsh, projectId, 'dev', { '.pier/config.yaml': config, 'probe.sh': probe() });
    const pushes = await request<ActivityBody[]>(`${ctx.server.url}/projects/${projectId}/environments/dev/activities?type=environment.push`, { headers: admin.headers });
    const deploy = await waitForActivity(ctx.server.url, projectId, pushes.body[0]!.id, admin.headers, 90_000);
    const deployLog = await logOf(deploy.id);
    expect(deploy.result, deployLog).toBe('success');
    expectContained(deployLog.split('Running the deploy hook.')[0]!, 'build');
    expectContained(deployLog.split('Running the deploy hook.')[1]!, 'runtime');

    const cron = await request<Accepted>(`${ctx.server.url}/projects/${projectId}/environments/dev/crons/probe/run`, { method: 'POST', headers: bot.headers });
    expect(cron.status).toBe(202);
    const cronDone = await waitForActivity(ctx.server.url, projectId, cron.body._embedded.activities[0]!.id, admin.headers, 60_000);
    expectContained(await logOf(cronDone.id), 'runtime');

    const operation = await request<Accepted>(`${ctx.server.url}/projects/${projectId}/environments/dev/source-operation`, { headers: bot.headers, json: { operation: 'probe' } });
    const operationDone = await waitForActivity(ctx.server.url, projectId, operation.body._embedded.activities[0]!.id, admin.headers, 60_000);
    const operationLog = await logOf(operationDone.id);
    expect(operationDone.result, operationLog).toBe('success');
    expectContained(operationLog, 'build');
    expect(operationLog).toContain('Committed');
  });

  it('contains SSH commands and an interactive shell with a pty, logged in the Platform.sh way', async () => {
    const exec = await botSsh.ssh(`${devLogin}@gateway`, 'bash /app/probe.sh runtime');
    expect(exec.status, exec.output).toBe(0);
    expectContained(exec.output, 'runtime');

    const shell = spawnSync('ssh', ['-F', botSsh.config, '-tt', `${devLogin}@gateway`], { input: 'bash /app/probe.sh runtime; tty -s && echo HAS-A-TERMINAL; exit\n', encoding: 'utf8', timeout: 30_000 });
    const output = `${shell.stdout}${shell.stderr}`;
    expectContained(output, 'runtime');
    expect(output).toMatch(/^HAS-A-TERMINAL/m);

    // The production environment is refused outright, as a login name and as a target.
    const production = await botSsh.ssh(`${projectId}-${main.machine_name}@gateway`, 'cat /data/prod-only.txt');
    expect(production.status).not.toBe(0);
    expect(production.output).toContain('missing: production:contributor');
  });

  it('gives scp, rsync and sftp nothing outside the environment', async () => {
    const into = fs.mkdtempSync(path.join(botSsh.dir, 'stolen-'));
    const target = `${devLogin}@gateway`;
    for (const file of [...forbidden.slice(0, 3), '../../../../../instance-secret', `/proc/${ctx.server.process.pid}/environ`]) {
      // The three clients at once (the gateway's sshd takes 256 unauthenticated connections at once).
      const [scp, rsync, sftp] = await Promise.all([
        exitCodeOf('scp', ['-F', botSsh.config, `${target}:${file}`, path.join(into, 'scp')]),
        exitCodeOf('rsync', ['-e', `ssh -F ${botSsh.config}`, `${target}:${file}`, path.join(into, 'rsync')]),
        exitCodeOf('sftp', ['-F', botSsh.config, '-b', '-', target], `get ${file} ${path.join(into, 'sftp')}\n`),
      ]);
      expect(scp, `scp ${file}`).not.toBe(0);
      expect(rsync, `rsync ${file}`).not.toBe(0);
      expect(sftp, `sftp ${file}`).not.toBe(0);
    }
    expect(fs.readdirSync(into)).toEqual([]);
    const upload = path.join(botSsh.dir, 'upload.txt');
    fs.writeFileSync(upload, 'hello\n');
    for (const outside of ['/usr/bin/evil', '/etc/evil', '/app/evil']) {
      expect(spawnSync('scp', ['-F', botSsh.config, upload, `${target}:${outside}`]).status, outside).not.toBe(0);
    }
    // …while they do their real job in the data folder.
    expect(spawnSync('scp', ['-F', botSsh.config, upload, `${target}:/data/upload.txt`]).status).toBe(0);
    expect(spawnSync('rsync', ['-e', `ssh -F ${botSsh.config}`, upload, `${target}:/data/rsynced.txt`]).status).toBe(0);
    const sftp = spawnSync('sftp', ['-F', botSsh.config, '-b', '-', target], { input: `put ${upload} /data/sftp.txt\n`, encoding: 'utf8' });
    expect(sftp.status, sftp.stderr).toBe(0);
    const devData = path.join(environmentRoot(projectId, dev.machine_name), 'data');
    for (const name of ['upload.txt', 'rsynced.txt', 'sftp.txt']) expect(fs.readFileSync(path.join(devData, name), 'utf8')).toBe('hello\n');
  });

  it('gives every environment, and so every project, a UID of its own', () => {
    const owners = [
      environmentRoot(projectId, main.machine_name),
      environmentRoot(projectId, dev.machine_name),
      environmentRoot(otherProjectId, fs.readdirSync(path.join(ctx.server.dataDir, 'projects', otherProjectId, 'environments'))[0]!),
    ].map((root) => fs.statSync(path.join(root, 'data')).uid);
    expect(new Set(owners).size).toBe(3);
    for (const uid of owners) expect(uid).toBeGreaterThanOrEqual(1_900_000_000);
  });
});
