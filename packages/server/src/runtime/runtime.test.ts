import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actor, createProjectAs, type TestActor } from '../../../../test-support/actors.js';
import { waitForActivity, type ActivityBody } from '../../../../test-support/activities.js';
import { canRunGateway, gatewaySettings, sshClient, startGateway, type Gateway, type SshClient } from '../../../../test-support/ssh-gateway.js';

const settings = await gatewaySettings();

const config = `applications:
  app:
    hooks:
      build: echo "building with $PIER_ENVIRONMENT_TYPE" > built.txt
      deploy: echo "deployed"
    crons:
      slow:
        spec: '*/5 * * * *'
        timeout: 1
        shutdown_timeout: 1
        commands:
          start: echo started; sleep 30
          stop: echo stop-requested > var/stop.txt
      quick:
        spec: '0 3 * * *'
        cmd: echo "hello from $PIER_BRANCH"
      tick:
        spec: '* * * * *'
        cmd: echo tick
    mounts:
      var:
        source: local
        source_path: var
`;

describe.runIf(canRunGateway)('builds, deploys and crons', { timeout: 120_000 }, () => {
  const ctx = useListeningServer('sqlite', { env: settings });
  let gateway: Gateway;
  let admin: TestActor;
  let projectId: string;
  let client: SshClient;
  let work: string;

  const git = (args: string[], cwd: string) => client.git(args, cwd);

  beforeAll(async () => {
    gateway = await startGateway(ctx.server);
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Runtime');
    client = await sshClient(ctx.server, gateway, admin, projectId);
    work = client.dir;
    await git(['clone', '--quiet', `gateway:${projectId}.git`, 'repo'], work);
  });
  afterAll(() => gateway?.stop());

  it('refuses a push whose config is invalid, naming the key and the line', async () => {
    const repo = path.join(work, 'repo');
    fs.mkdirSync(path.join(repo, '.pier'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.pier/config.yaml'), "applications:\n  app:\n    crons:\n      nightly:\n        spec: 'every night'\n        cmd: backup\n");
    await git(['add', '.'], repo);
    await git(['commit', '-qm', 'bad cron'], repo);
    const push = await git(['push', 'origin', 'HEAD:main'], repo);
    expect(push.status).not.toBe(0);
    expect(push.output).toContain('main: invalid configuration: .pier/config.yaml: applications.app.crons.nightly.spec (line 5): CronPattern');

    fs.writeFileSync(path.join(repo, '.pier/config.yaml'), 'applications:\n  app:\n    hooks:\n      biuld: make\n');
    await git(['commit', '-qam', 'typo'], repo);
    const typo = await git(['push', 'origin', 'HEAD:main'], repo);
    expect(typo.status).not.toBe(0);
    expect(typo.output).toContain('applications.app.hooks.biuld (line 4): unknown key');
    await git(['reset', '-q', '--hard', 'HEAD~2'], repo);
  });

  it('builds and deploys on push, lists crons, and stops a cron that runs too long', async () => {
    const repo = path.join(work, 'repo');
    fs.mkdirSync(path.join(repo, '.pier'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.pier/config.yaml'), config);
    await git(['add', '.'], repo);
    await git(['commit', '-qm', 'app'], repo);
    expect((await git(['push', 'origin', 'HEAD:main'], repo)).status).toBe(0);
    const list = await request<ActivityBody[]>(`${ctx.server.url}/projects/${projectId}/activities?type=environment.push`, { headers: admin.headers });
    const deploy = await waitForActivity(ctx.server.url, projectId, list.body[0]!.id, admin.headers);
    const deployLog = await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${deploy.id}/log`, { headers: admin.headers })).text();
    expect(deploy.result, deployLog).toBe('success');
    expect(deployLog).toContain('Running the build hook.');
    expect(deployLog).toContain('deployed');
    const main = await request(`${ctx.server.url}/projects/${projectId}/environments/main`, { headers: admin.headers });
    const root = path.join(ctx.server.dataDir, 'projects', projectId, 'environments', String(main.body.machine_name));
    expect(fs.readFileSync(path.join(root, 'current', 'built.txt'), 'utf8')).toBe('building with production\n');
    // The hook's files are the environment's own account's, not root's or the server's.
    const owner = fs.statSync(path.join(root, 'current', 'built.txt')).uid;
    expect(owner).toBeGreaterThanOrEqual(1_900_000_000);
    expect(owner).not.toBe(process.getuid!());

    const crons = await request<Array<{ name: string; next_run: string }>>(`${ctx.server.url}/projects/${projectId}/environments/main/crons`, { headers: admin.headers });
    expect(crons.body.map((c) => c.name).sort()).toEqual(['quick', 'slow', 'tick']);
    expect(crons.body.find((c) => c.name === 'quick')!.next_run).toMatch(/T03:00:00.000Z$/);

    const api = apiAs(ctx.server, admin.headers);
    const quick = await api.POST('/projects/{projectId}/environments/{environmentId}/crons/{cronName}/run', { params: { path: { projectId, environmentId: 'main', cronName: 'quick' } } });
    const quickDone = await waitForActivity(ctx.server.url, projectId, quick.data!._embedded.activities[0]!.id, admin.headers);
    expect(quickDone.result).toBe('success');
    expect(await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${quickDone.id}/log`, { headers: admin.headers })).text()).toContain('hello from main');

    const slow = await api.POST('/projects/{projectId}/environments/{environmentId}/crons/{cronName}/run', { params: { path: { projectId, environmentId: 'main', cronName: 'slow' } } });
    const slowDone = await waitForActivity(ctx.server.url, projectId, slow.data!._embedded.activities[0]!.id, admin.headers);
    const slowLog = await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${slowDone.id}/log`, { headers: admin.headers })).text();
    expect(slowDone).toMatchObject({ state: 'complete', result: 'failure' });
    expect(slowLog).toContain('started');
    expect(slowLog).toContain('ran longer than its timeout of 1 s and was stopped');
    expect(fs.readFileSync(path.join(root, 'data', 'var', 'stop.txt'), 'utf8')).toBe('stop-requested\n');
  });

  it('schedules crons on their spec in UTC, once per minute however many schedulers run', async () => {
    type Cron = ActivityBody & { parameters: { cron?: string; scheduled_for?: string } };
    const scheduled = async () =>
      (await request<Cron[]>(`${ctx.server.url}/projects/${projectId}/activities?type=environment.cron&count=100`, { headers: admin.headers })).body.filter(
        (a) => a.parameters.cron === 'tick' && a.parameters.scheduled_for,
      );
    await expect.poll(async () => (await scheduled()).length, { timeout: 75_000, interval: 1_000 }).toBeGreaterThan(0);
    const runs = await scheduled();
    const minutes = runs.map((a) => a.parameters.scheduled_for!);
    expect(new Set(minutes).size).toBe(minutes.length);
    for (const minute of minutes) expect(minute).toMatch(/:00\.000Z$/);
    const done = await waitForActivity(ctx.server.url, projectId, runs[0]!.id, admin.headers);
    expect(done.result).toBe('success');
  }, 90_000);
});
