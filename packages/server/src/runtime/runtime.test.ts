import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, type TestActor } from '../../../../test-support/actors.js';
import { waitForActivity, type ActivityBody } from '../../../../test-support/activities.js';

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
          stop: echo stop-requested > stop.txt
      quick:
        spec: '0 3 * * *'
        cmd: echo "hello from $PIER_BRANCH"
      tick:
        spec: '* * * * *'
        cmd: echo tick
`;

describe('builds, deploys and crons', () => {
  const ctx = usePierServer('sqlite');
  let admin: TestActor;
  let projectId: string;
  let work: string;

  function git(args: string[], cwd: string) {
    const result = spawnSync('git', ['-c', 'user.email=admin@example.com', '-c', 'user.name=Admin', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...ctx.server.env, PIER_SSH_USER_ID: admin.userId, PIER_SSH_PROJECT: projectId },
    });
    return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
  }

  beforeAll(async () => {
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Runtime');
    await request(`${ctx.server.url}/projects/${projectId}/environments/main/source-operations`, { headers: admin.headers });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-runtime-'));
    git(['clone', '--quiet', path.join(ctx.server.dataDir, 'git', `${projectId}.git`), 'repo'], work);
  });

  it('refuses a push whose config is invalid, naming the key and the line', () => {
    const repo = path.join(work, 'repo');
    fs.mkdirSync(path.join(repo, '.pier'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.pier/config.yaml'), "applications:\n  app:\n    crons:\n      nightly:\n        spec: 'every night'\n        cmd: backup\n");
    git(['add', '.'], repo);
    git(['commit', '-qm', 'bad cron'], repo);
    const push = git(['push', 'origin', 'HEAD:main'], repo);
    expect(push.status).not.toBe(0);
    expect(push.output).toContain('main: invalid configuration: .pier/config.yaml: applications.app.crons.nightly.spec (line 5): CronPattern');

    fs.writeFileSync(path.join(repo, '.pier/config.yaml'), 'applications:\n  app:\n    hooks:\n      biuld: make\n');
    git(['commit', '-qam', 'typo'], repo);
    const typo = git(['push', 'origin', 'HEAD:main'], repo);
    expect(typo.status).not.toBe(0);
    expect(typo.output).toContain('applications.app.hooks.biuld (line 4): unknown key');
    git(['reset', '-q', '--hard', 'HEAD~2'], repo);
  });

  it('builds and deploys on push, lists crons, and stops a cron that runs too long', async () => {
    const repo = path.join(work, 'repo');
    fs.mkdirSync(path.join(repo, '.pier'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.pier/config.yaml'), config);
    git(['add', '.'], repo);
    git(['commit', '-qm', 'app'], repo);
    expect(git(['push', 'origin', 'HEAD:main'], repo).status).toBe(0);
    const list = await request<ActivityBody[]>(`${ctx.server.url}/projects/${projectId}/activities?type=environment.push`, { headers: admin.headers });
    const deploy = await waitForActivity(ctx.server.url, projectId, list.body[0]!.id, admin.headers);
    const deployLog = await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${deploy.id}/log`, { headers: admin.headers })).text();
    expect(deploy.result, deployLog).toBe('success');
    expect(deployLog).toContain('Running the build hook.');
    expect(deployLog).toContain('deployed');
    const main = await request(`${ctx.server.url}/projects/${projectId}/environments/main`, { headers: admin.headers });
    const current = path.join(ctx.server.dataDir, 'projects', projectId, 'environments', String(main.body.machine_name), 'current');
    expect(fs.readFileSync(path.join(current, 'built.txt'), 'utf8')).toBe('building with production\n');

    const crons = await request<Array<{ name: string; next_run: string }>>(`${ctx.server.url}/projects/${projectId}/environments/main/crons`, { headers: admin.headers });
    expect(crons.body.map((c) => c.name).sort()).toEqual(['quick', 'slow', 'tick']);
    expect(crons.body.find((c) => c.name === 'quick')!.next_run).toMatch(/T03:00:00.000Z$/);

    const quick = await request<{ _embedded: { activities: ActivityBody[] } }>(`${ctx.server.url}/projects/${projectId}/environments/main/crons/quick/run`, { method: 'POST', headers: admin.headers });
    const quickDone = await waitForActivity(ctx.server.url, projectId, quick.body._embedded.activities[0]!.id, admin.headers);
    expect(quickDone.result).toBe('success');
    expect(await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${quickDone.id}/log`, { headers: admin.headers })).text()).toContain('hello from main');

    const slow = await request<{ _embedded: { activities: ActivityBody[] } }>(`${ctx.server.url}/projects/${projectId}/environments/main/crons/slow/run`, { method: 'POST', headers: admin.headers });
    const slowDone = await waitForActivity(ctx.server.url, projectId, slow.body._embedded.activities[0]!.id, admin.headers);
    const slowLog = await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${slowDone.id}/log`, { headers: admin.headers })).text();
    expect(slowDone).toMatchObject({ state: 'complete', result: 'failure' });
    expect(slowLog).toContain('started');
    expect(slowLog).toContain('ran longer than its timeout of 1 s and was stopped');
    expect(fs.readFileSync(path.join(current, 'stop.txt'), 'utf8')).toBe('stop-requested\n');
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
