import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForActivity, type ActivityBody } from '../../../../test-support/activities.js';
import { actor, grant, type TestActor } from '../../../../test-support/actors.js';
import { request } from '../../../../test-support/http.js';
import { ADMIN_EMAIL, createApiToken, type PierServer } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { canRunGateway, gatewaySettings, pushFiles, sshClient, startGateway, type Gateway } from '../../../../test-support/ssh-gateway.js';
import { ciEnv, runCli, type CliResult } from '../testing/run-cli.js';

/**
 * cron:list, cron:run and environment:redeploy against a real server whose `main` runs code
 * pushed through the SSH gateway (hooks and crons run in the sandbox, which needs root).
 */
let server: PierServer;
let gateway: Gateway | undefined;
let admin: TestActor;
let adminEnv: Record<string, string | undefined>;
let projectId: string;

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

// Schedules that do not come round during the test, so only cron:run starts these crons.
const appConfig = `applications:
  app:
    hooks:
      build: echo "building the app"
    crons:
      hello:
        spec: '0 3 1 1 *'
        cmd: echo "hello from $PIER_BRANCH"
      broken:
        spec: '30 4 1 1 *'
        timeout: 60
        cmd: echo "about to fail"; exit 3
`;

beforeAll(async () => {
  if (!canRunGateway) return;
  server = await startListeningServer({ env: await gatewaySettings() });
  gateway = await startGateway(server);
  admin = await actor(server, ADMIN_EMAIL, { existing: true });
  adminEnv = ciEnv(server, { PIER_CLI_TOKEN: await createApiToken(server, ADMIN_EMAIL, 'admin-ci') });
  const created = await runCli(['project:create', '--title', 'Crons'], { env: adminEnv });
  expect(created.code).toBe(0);
  projectId = created.stdout.trim();
  await pushAppConfig(appConfig);
});
afterAll(async () => {
  await gateway?.stop();
  await server?.stop();
});

const pier = (...args: string[]): Promise<CliResult> => runCli(args, { env: adminEnv });

/** Pushes the app config to main through the gateway and waits for the deploy. */
async function pushAppConfig(config: string): Promise<void> {
  await pushFiles(await sshClient(server, gateway!, admin, projectId), projectId, 'main', { '.pier/config.yaml': config });
  const pushes = await request<ActivityBody[]>(`${server.url}/projects/${projectId}/activities?type=environment.push`, { headers: admin.headers });
  const deploy = await waitForActivity(server.url, projectId, pushes.body[0]!.id, admin.headers);
  expect(deploy.result).toBe('success');
}

describe.runIf(canRunGateway)('cron:list', () => {
  it('lists the deployed crons in every format', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const csv = await pier('cron:list', '-p', projectId, '-e', 'main', '--format', 'csv');
    expect(csv).toMatchObject({ code: 0, stderr: '' });
    expect(csv.stdout).toBe(
      [
        'Name,App,Spec,Command,Next run,Timeout',
        `hello,app,0 3 1 1 *,"echo ""hello from $PIER_BRANCH""",${year}-01-01T03:00:00.000Z,86400`,
        `broken,app,30 4 1 1 *,"echo ""about to fail""; exit 3",${year}-01-01T04:30:00.000Z,60`,
        '',
      ].join('\n'),
    );

    const tsv = await pier('crons', '-p', projectId, '-e', 'main', '--format', 'tsv', '--no-header', '-c', 'name,timeout');
    expect(tsv.stdout).toBe('hello\t86400\nbroken\t60\n');
    const plain = await pier('cron:list', '-p', projectId, '-e', 'main', '--format', 'plain', '-c', 'name,next_run', '--date-fmt', 'Y-m-d H:i');
    expect(plain.stdout).toBe(`Name\tNext run\nhello\t${year}-01-01 03:00\nbroken\t${year}-01-01 04:30\n`);
    const json = await pier('cron:list', '-p', projectId, '-e', 'main', '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'hello', app: 'app', spec: '0 3 1 1 *', command: 'echo "hello from $PIER_BRANCH"', next_run: `${year}-01-01T03:00:00.000Z`, timeout: 86400 },
      { name: 'broken', app: 'app', spec: '30 4 1 1 *', command: 'echo "about to fail"; exit 3', next_run: `${year}-01-01T04:30:00.000Z`, timeout: 60 },
    ]);
    const table = await pier('cron:list', '-p', projectId, '-e', 'main');
    expect(table.code).toBe(0);
    for (const text of ['Name', 'Next run', 'hello', 'broken', 'echo "hello from $PIER_BRANCH"', '86400']) expect(table.stdout).toContain(text);
  });
});

describe.runIf(canRunGateway)('cron:run', () => {
  it("waits with the cron's output and exits with its result", async () => {
    const hello = await pier('cron:run', 'hello', '-p', projectId, '-e', 'main');
    expect(hello.code).toBe(0);
    expect(hello.stdout).toBe('');
    // Not interactive: the confirmation takes its default (yes) without asking.
    expect(hello.stderr).toMatch(new RegExp(`^Running cron hello\\nWaiting for the activity ${uuid} \\(Cron hello on main \\(run by hand\\)\\):\\n`));
    expect(hello.stderr).toContain('hello from main\n');
    expect(hello.stderr).toMatch(new RegExp(`The activity succeeded: \\[${uuid}\\] `));

    const broken = await pier('cron:run', 'broken', '-p', projectId, '-e', 'main', '--yes');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Are you sure you want to run the cron broken on the environment main? [Y/n] y\nRunning cron broken\n');
    expect(broken.stderr).toContain('about to fail\n');
    expect(broken.stderr).toMatch(new RegExp(`The activity failed: \\[${uuid}\\] `));
  });

  it('--no-wait prints the activity ID at once; the log holds the output', async () => {
    const result = await pier('cron:run', 'hello', '-p', projectId, '-e', 'main', '--yes', '--no-wait');
    expect(result.code).toBe(0);
    const activityId = new RegExp(`Activity ID: (${uuid})\\nFollow it with: pier activity:log \\1 -p ${projectId}\\n`).exec(result.stderr)?.[1] ?? '';
    expect(activityId).not.toBe('');
    expect((await pier('activity:get', activityId, '-p', projectId, '-P', 'type')).stdout).toBe('environment.cron\n');
    const log = await pier('activity:log', activityId, '-p', projectId);
    expect(log.stdout).toContain('hello from main');
  });

  it('an unknown cron is refused before anything runs; without a name the crons are listed', async () => {
    expect(await pier('cron:run', 'nope', '-p', projectId, '-e', 'main', '--yes')).toMatchObject({ code: 1, stderr: expect.stringContaining('The cron nope was not found on the environment main.') });
    expect(await pier('cron:run', '-p', projectId, '-e', 'main')).toMatchObject({ code: 1, stderr: expect.stringContaining('Available crons: hello, broken') });
  });
});

describe.runIf(canRunGateway)('environment:redeploy', () => {
  it('asks (default yes), builds and deploys again, and waits; -W does not wait', async () => {
    const result = await pier('environment:redeploy', '-p', projectId, '-e', 'main', '--yes');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Are you sure you want to redeploy the environment main? [Y/n] y\n');
    expect(result.stderr).toContain('building the app');
    expect(result.stderr).toMatch(new RegExp(`The activity succeeded: \\[${uuid}\\] `));

    const noWait = await pier('redeploy', '-p', projectId, '-e', 'main', '-y', '-W');
    expect(noWait.code).toBe(0);
    const activityId = new RegExp(`Activity ID: (${uuid})`).exec(noWait.stderr)?.[1] ?? '';
    expect((await pier('activity:get', activityId, '-p', projectId, '-P', 'type')).stdout).toBe('environment.redeploy\n');
    await waitForActivity(server.url, projectId, activityId, admin.headers);
  });

  it('an inactive environment cannot be redeployed', async () => {
    expect((await pier('environment:branch', 'feature', 'main', '-p', projectId)).code).toBe(0);
    expect((await pier('environment:deactivate', 'feature', '-p', projectId, '--yes')).code).toBe(0);
    const result = await pier('environment:redeploy', '-p', projectId, '-e', 'feature', '--yes');
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining("Operation not available: The environment feature can't be redeployed.\nThe environment is not active.") });
  });
});

it('a viewer may list crons but gets exit 6 from cron:run and environment:redeploy', async () => {
  const viewer = await actor(server, 'viewer@example.com');
  await grant(server, admin, projectId, viewer, ['viewer', 'production:viewer']);
  const viewerEnv = ciEnv(server, { PIER_CLI_TOKEN: await createApiToken(server, viewer.email, 'viewer') });
  const viewerPier = (...args: string[]) => runCli([...args, '-p', projectId, '-e', 'main', '--yes'], { env: viewerEnv });
  expect((await viewerPier('cron:list', '--format', 'plain', '--no-header', '-c', 'name')).stdout).toBe('hello\nbroken\n');
  const run = await viewerPier('cron:run', 'hello');
  expect(run).toMatchObject({ code: 6, stdout: '', stderr: expect.stringContaining('Missing permission: production:') });
  const redeploy = await viewerPier('environment:redeploy');
  expect(redeploy).toMatchObject({ code: 6, stdout: '', stderr: expect.stringContaining('Missing permission: production:admin') });
});
