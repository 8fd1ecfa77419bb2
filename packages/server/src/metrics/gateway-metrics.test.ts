/**
 * The series only real OpenSSH, bubblewrap and the cron scheduler produce: SSH sessions by kind
 * and refusals by stage (counted in the gateway socket's handlers), sandbox starts, and a
 * scheduled cron run started on time. The counting is the same on both databases: SQLite only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';
import { canRunGateway, gatewaySettings, pushFiles, sshClient, startGateway, type Gateway } from '../../../../test-support/ssh-gateway.js';
import { scrape } from '../../../../test-support/metrics.js';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';
const settings = await gatewaySettings();

const everyMinute = `applications:
  app:
    crons:
      tick:
        spec: '* * * * *'
        commands:
          start: echo tick
`;

describe.runIf(canRunGateway)('metrics of SSH sessions, sandboxes and crons', { timeout: 180_000 }, () => {
  const ctx = useListeningServer('sqlite', { env: { ...settings, PIER_METRICS_TOKEN: METRICS_TOKEN } });
  let gateway: Gateway;
  let admin: TestActor;
  let projectId: string;
  const metrics = () => scrape(`${ctx.server.url}/metrics`, METRICS_TOKEN);

  beforeAll(async () => {
    gateway = await startGateway(ctx.server);
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Observed');
  });
  afterAll(() => gateway?.stop());

  it('counts sessions by kind, refusals by stage, sandbox starts and on-time cron runs', async () => {
    const before = await metrics();
    const count = (scraped: typeof before, name: string, labels: Record<string, string>) => scraped.value(name, labels) ?? NaN;

    const me = await sshClient(ctx.server, gateway, admin, projectId);
    await pushFiles(me, projectId, 'main', { '.pier/config.yaml': everyMinute });
    expect((await me.ssh('main.pier', 'echo hello')).output).toContain('hello');

    const viewer = await actor(ctx.server, 'viewer@example.com');
    await grant(ctx.server, admin, projectId, viewer, ['viewer', 'production:viewer']);
    const viewerClient = await sshClient(ctx.server, gateway, viewer, projectId);
    expect((await viewerClient.ssh('main.pier', 'id')).status).not.toBe(0);
    await expect(pushFiles(viewerClient, projectId, 'main', { 'x.txt': 'x' })).rejects.toThrow(/production:contributor|missing/);

    const doomed = await actor(ctx.server, 'doomed@example.com');
    await grant(ctx.server, admin, projectId, doomed, ['admin']);
    const doomedClient = await sshClient(ctx.server, gateway, doomed, projectId);
    const tokens = await request<Array<{ id: string }>>(`${ctx.server.url}/users/me/api-tokens`, { headers: doomed.headers });
    await request(`${ctx.server.url}/users/me/api-tokens/${tokens.body[0]!.id}`, { method: 'DELETE', headers: doomed.headers });
    expect((await doomedClient.git(['ls-remote', `gateway:${projectId}.git`])).status).not.toBe(0);

    // The scheduler queues the cron within a minute of the deploy; the run starts on time.
    await expect.poll(async () => (await metrics()).value('pier_cron_runs_total', { timeliness: 'on_time' }), { timeout: 100_000, interval: 1_000 }).toBeGreaterThanOrEqual(1);

    const after = await metrics();
    const delta = (name: string, labels: Record<string, string>) => count(after, name, labels) - count(before, name, labels);
    // Each push above clones and lists the branch first (two fetches); the viewer's push is
    // refused in pre-receive; the revoked token's certificate never gets a session.
    expect(delta('pier_ssh_sessions_total', { kind: 'git_fetch' })).toBe(4);
    expect(delta('pier_ssh_sessions_total', { kind: 'git_push' })).toBe(2);
    expect(delta('pier_ssh_sessions_total', { kind: 'command' })).toBe(1);
    expect(delta('pier_ssh_refusals_total', { stage: 'session' })).toBe(1);
    expect(delta('pier_ssh_refusals_total', { stage: 'push' })).toBe(1);
    expect(delta('pier_ssh_refusals_total', { stage: 'login' })).toBeGreaterThanOrEqual(1);
    // The deploy (archive, build), the SSH command and the cron ran in bubblewrap.
    expect(delta('pier_sandbox_starts_total', { driver: 'bubblewrap' })).toBeGreaterThanOrEqual(3);
    expect(delta('pier_sandbox_failures_total', { reason: 'unavailable' })).toBe(0);
    expect(count(after, 'pier_cron_runs_total', { timeliness: 'late' })).toBe(0);
    expect(count(after, 'pier_cron_start_delay_seconds_count', {})).toBeGreaterThanOrEqual(1);
    expect(count(after, 'pier_cron_start_delay_seconds_sum', {})).toBeLessThan(60 * count(after, 'pier_cron_start_delay_seconds_count', {}));
    expect(after.value('pier_cron_runs_missed_total')).toBe(0);
  });
});
