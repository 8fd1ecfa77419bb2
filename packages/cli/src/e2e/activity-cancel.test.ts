import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { actor, type TestActor } from '../../../../test-support/actors.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { ADMIN_EMAIL, createApiToken } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { binaries, ciEnv, runCli, tempDir, type CliResult } from '../testing/run-cli.js';

/**
 * With the activity worker off, activities stay pending: cancelling one is deterministic, and a
 * command waiting on it sees the cancellation. Also the hook-environment rule for --no-wait.
 */
const cli = useCliServer({ serverEnv: { PIER_WORKER: 'off' }, tokenName: 'ci', project: 'Queue' });
let admin: TestActor;
let env: Record<string, string | undefined>;

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

beforeAll(async () => {
  admin = await actor(cli.server, ADMIN_EMAIL, { existing: true });
  env = { ...cli.adminEnv, PIER_PROJECT: cli.projectId, PIER_BRANCH: 'main' };
});

const pier = (...args: string[]): Promise<CliResult> => runCli(args, { env });

async function pendingActivities(): Promise<{ id: string }[]> {
  const response = await apiAs(cli.server, admin.headers).GET('/projects/{projectId}/activities', { params: { path: { projectId: cli.projectId }, query: { state: ['pending'] } } });
  return response.data!;
}

describe('activity:cancel', () => {
  it('cancels a pending activity by id; a second cancel is refused with its state', async () => {
    const created = await pier('backup:create', '--yes', '--no-wait');
    expect(created.code).toBe(0);
    const activityId = new RegExp(`Activity ID: (${uuid})`).exec(created.stderr)?.[1] ?? '';
    expect((await pier('activity:list', '--state', 'pending', '--format', 'plain', '--no-header', '-c', 'id,state')).stdout).toBe(`${activityId}\tpending\n`);
    const cancelled = await pier('activity:cancel', activityId);
    expect(cancelled).toMatchObject({ code: 0, stderr: 'The activity was successfully cancelled.\n' });
    expect((await pier('activity:get', activityId, '-P', 'state')).stdout).toBe('cancelled\n');
    const again = await pier('activity:cancel', activityId);
    expect(again).toMatchObject({ code: 1, stderr: 'The activity cannot be cancelled in its current state (cancelled).\n' });
    // The log of a cancelled activity is sealed: activity:log returns at once.
    expect(await pier('activity:log', activityId)).toMatchObject({ code: 0, stdout: '' });
    expect(await pier('activity:cancel')).toMatchObject({ code: 1, stderr: 'No cancellable activities found\n' });
  });

  it('a waiting backup:create ends with "The activity was cancelled" (exit 1) when the activity is cancelled', async () => {
    const waiting = spawn(process.execPath, [binaries.pier, 'backup:create', '--yes', '--wait'], { env: definedOnly(env), cwd: tempDir(), stdio: ['pipe', 'pipe', 'pipe'] });
    waiting.stdin.end();
    let stdout = '';
    let stderr = '';
    waiting.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    waiting.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolve) => waiting.on('close', (code) => resolve(code ?? -1)));
    let pending: { id: string }[] = [];
    for (let attempt = 0; attempt < 100 && pending.length === 0; attempt++) {
      pending = await pendingActivities();
      if (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pending).toHaveLength(1);
    // Without an id: the only cancellable activity.
    expect(await pier('activity:cancel')).toMatchObject({ code: 0, stderr: 'The activity was successfully cancelled.\n' });
    expect(await exited).toBe(1);
    expect(stdout).toMatch(new RegExp(`^Backup name: ${uuid}\\n$`));
    expect(stderr).toContain(`Waiting for the activity ${pending[0]?.id}`);
    expect(stderr).toMatch(new RegExp(`The activity was cancelled: \\[${pending[0]?.id}\\] admin@example.com created a safe backup of main\\n$`));
  });

  it('another user without rights on the environment gets exit 6', async () => {
    const created = await pier('backup:create', '--yes', '--no-wait');
    const activityId = new RegExp(`Activity ID: (${uuid})`).exec(created.stderr)?.[1] ?? '';
    const viewer = await actor(cli.server, 'viewer@example.com');
    const access = await request(`${cli.server.url}/projects/${cli.projectId}/user-access`, { headers: admin.headers, json: [{ user_id: viewer.userId, permissions: ['viewer', 'production:viewer'] }] });
    expect(access.status).toBe(204);
    const viewerEnv = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, viewer.email, 'ci'), PIER_PROJECT: cli.projectId });
    const refused = await runCli(['activity:cancel', activityId], { env: viewerEnv });
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('Missing permission: production:admin');
    expect(await pier('activity:cancel', activityId)).toMatchObject({ code: 0 });
  });
});

describe('--wait and --no-wait', () => {
  it('in a hook environment (PIER_PROJECT, dash, no terminal) commands do not wait, with the warning', async () => {
    const hook = { ...env, SHELL: '/bin/dash' };
    const result = await runCli(['backup:create', '--yes'], { env: hook });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: Pier hook environment detected: assuming --no-wait by default.');
    expect(result.stderr).toMatch(new RegExp(`Activity ID: ${uuid}`));
    // -W never waits; the queued activities are cancelled so the next test starts clean.
    const noWait = await runCli(['backup:create', '--yes', '-W'], { env: { ...env, SHELL: '/bin/bash' } });
    expect(noWait.stderr).not.toContain('hook environment');
    expect(noWait.stderr).not.toContain('Waiting for');
    for (const activity of await pendingActivities()) expect((await pier('activity:cancel', activity.id)).code).toBe(0);
  });
});

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [name, value] of Object.entries(values)) if (value !== undefined) out[name] = value;
  return out;
}
