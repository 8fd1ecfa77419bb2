/**
 * The seed, start to finish, with real parts: a machine user invited as production admin +
 * development contributor, its token stored with the seed's exact `variable:create`, an app
 * pushed over SSH whose build hook installs the CLI from the server, and the seed's cron — which
 * on production starts a backup and a source operation as the machine user, and on development
 * does neither.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, repoRoot } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { runProgram } from '../../../../test-support/programs.js';
import { actor, createProjectAs, type TestActor } from '../../../../test-support/actors.js';
import { waitForActivity, type ActivityBody } from '../../../../test-support/activities.js';
import { canRunGateway, gatewaySettings, sshClient, startGateway, type Gateway } from '../../../../test-support/ssh-gateway.js';

const settings = await gatewaySettings();
const pierBin = path.join(repoRoot, 'packages/cli/bin/pier.cjs');

const appConfig = `applications:
  app:
    hooks:
      build: |
        set -e
        curl -fsSL "$PIER_URL/cli/install.sh" | bash
    crons:
      update:
        spec: '0 0 * * *'
        commands:
          start: |
            if [ "$PIER_ENVIRONMENT_TYPE" = production ]; then
              pier backup:create --yes --no-wait
              pier source-operation:run update --no-wait --yes
            fi
    source:
      operations:
        update:
          command: date -u > last-update.txt
`;

type Activity = ActivityBody & { started_by: { email: string | null; api_token_name: string | null }; environments: string[] };

describe.runIf(canRunGateway)('the seed: a cron in the app container drives Pier with a machine user token', { timeout: 180_000 }, () => {
  const ctx = useListeningServer('sqlite', { env: settings });
  let gateway: Gateway;
  let admin: TestActor;
  let projectId: string;
  let botToken: string;

  beforeAll(async () => {
    gateway = await startGateway(ctx.server);
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Seed shop');
  });
  afterAll(() => gateway?.stop());

  const cli = (args: string[], env: Record<string, string>) => {
    const home = fs.mkdtempSync(path.join(ctx.server.dataDir, 'cli-home-'));
    return runProgram(process.execPath, [pierBin, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home, PIER_CLI_API_URL: ctx.server.url, ...env } });
  };

  async function untilDone(types: string[]): Promise<Activity[]> {
    await expect
      .poll(async () => {
        const list = await request<Activity[]>(`${ctx.server.url}/projects/${projectId}/activities?state=pending&state=in_progress`, { headers: admin.headers });
        return list.body.filter((a) => types.includes(a.type)).length;
      }, { timeout: 90_000, interval: 250 })
      .toBe(0);
    return (await request<Activity[]>(`${ctx.server.url}/projects/${projectId}/activities?count=200`, { headers: admin.headers })).body;
  }

  it('invites the machine user, stores its token, deploys, and runs the cron on production only', async () => {
    const url = ctx.server.url;
    // 1. Invited as production admin + development contributor; signs up from the link.
    const invited = await request(`${url}/projects/${projectId}/invitations`, {
      headers: admin.headers,
      json: { email: 'bot@example.com', role: 'viewer', permissions: [{ type: 'production', role: 'admin' }, { type: 'development', role: 'contributor' }] },
    });
    expect(invited.status).toBe(201);
    // Without a mail server the link is shown to the inviting project admin, never logged.
    const link = /sign-up\?invitation=([\w-]+)/.exec(String(invited.body.link))![1]!;
    const accepted = await request(`${url}/invitations/${link}/accept`, { json: { password: 'a long machine password' } });
    expect(accepted.status).toBe(200);
    const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0]!;
    const created = await request(`${url}/users/me/api-tokens`, { headers: { cookie, 'x-csrf-token': String(accepted.body.csrf_token) }, json: { name: 'cron' } });
    botToken = String(created.body.token);

    // 2. The admin stores it with the seed's exact command.
    const adminToken = String((await request(`${url}/users/me/api-tokens`, { headers: admin.headers, json: { name: 'admin-cli' } })).body.token);
    const stored = await cli(
      ['variable:create', '-p', projectId, '-e', 'main', '--level', 'environment', '--prefix', 'env', '--name', 'PIER_CLI_TOKEN', '--sensitive', 'true', '--value', botToken, '--inheritable', 'false', '--visible-build', 'true', '--no-interaction'],
      { PIER_CLI_TOKEN: adminToken },
    );
    expect(stored.status, stored.stderr).toBe(0);
    expect(`${stored.stdout}${stored.stderr}`).not.toContain(botToken);

    // 3. The app is pushed over SSH; main deploys, and its build hook installs the CLI from the server.
    const client = await sshClient(ctx.server, gateway, admin, projectId);
    expect((await client.git(['clone', `gateway:${projectId}.git`, 'app'])).status).toBe(0);
    const repo = path.join(client.dir, 'app');
    fs.mkdirSync(path.join(repo, '.pier'));
    fs.writeFileSync(path.join(repo, '.pier/config.yaml'), appConfig);
    fs.writeFileSync(path.join(repo, 'index.html'), '<h1>shop</h1>\n');
    await client.git(['add', '.'], repo);
    await client.git(['commit', '-qm', 'app'], repo);
    const push = await client.git(['push', 'origin', 'HEAD:main'], repo);
    expect(push.status, push.output).toBe(0);
    const deploys = await untilDone(['environment.push']);
    const deploy = deploys.find((a) => a.type === 'environment.push')!;
    expect(deploy.result, JSON.stringify(deploy)).toBe('success');

    // The same code on a development environment.
    await client.git(['push', 'origin', 'HEAD:dev'], repo);
    await request(`${url}/projects/${projectId}/environments/dev/activate`, { method: 'POST', headers: admin.headers });
    const api = apiAs(ctx.server, admin.headers);
    const redeploy = await api.POST('/projects/{projectId}/environments/{environmentId}/redeploy', { params: { path: { projectId, environmentId: 'dev' } } });
    expect((await waitForActivity(url, projectId, redeploy.data!._embedded.activities[0]!.id, admin.headers, 90_000)).result).toBe('success');

    // 4. The cron, on production: a backup and a source operation, as the machine user and its token.
    const run = await api.POST('/projects/{projectId}/environments/{environmentId}/crons/{cronName}/run', { params: { path: { projectId, environmentId: 'main', cronName: 'update' } } });
    expect(run.response.status).toBe(202);
    const cron = await waitForActivity(url, projectId, run.data!._embedded.activities[0]!.id, admin.headers, 90_000);
    const cronLog = await (await fetch(`${url}/projects/${projectId}/activities/${cron.id}/log`, { headers: admin.headers })).text();
    expect(cron.result, cronLog).toBe('success');
    expect(cronLog).toContain('Backup name');
    expect(cronLog).not.toContain(botToken);

    const all = await untilDone(['environment.backup', 'environment.source-operation']);
    const byBot = all.filter((a) => a.started_by.email === 'bot@example.com' && a.type !== 'environment.push');
    expect(byBot.map((a) => a.type).sort()).toEqual(['environment.backup', 'environment.source-operation']);
    // The source operation's commit was pushed as the bot, which redeploys main.
    expect(all.some((a) => a.type === 'environment.push' && a.started_by.email === 'bot@example.com')).toBe(true);
    for (const activity of byBot) {
      expect(activity.started_by.api_token_name).toBe('cron');
      expect(activity.environments).toEqual(['main']);
      expect(activity.result).toBe('success');
    }

    // 5. On development the guard skips both.
    const devRun = await api.POST('/projects/{projectId}/environments/{environmentId}/crons/{cronName}/run', { params: { path: { projectId, environmentId: 'dev', cronName: 'update' } } });
    expect((await waitForActivity(url, projectId, devRun.data!._embedded.activities[0]!.id, admin.headers, 60_000)).result).toBe('success');
    const after = await untilDone(['environment.backup', 'environment.source-operation']);
    expect(after.filter((a) => a.started_by.email === 'bot@example.com' && a.environments.includes('dev'))).toEqual([]);
    expect(ctx.server.output()).not.toContain(botToken);
  });
});
