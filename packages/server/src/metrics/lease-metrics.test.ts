/**
 * `pier_worker_leases_lost_total` from a real stall: a worker is stopped (SIGSTOP) in the middle
 * of an activity, another takes the activity over when the lease runs out, and the first, resumed,
 * gives it up and counts it — and survives: before, the first output line its stale run reported
 * collided with its successor's log position and the rejection ended the process.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds, freePort, startWorkerProcess } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actor, createProjectAs } from '../../../../test-support/actors.js';
import { arrangeProjectCode } from '../../../../test-support/repositories.js';
import { scrape } from '../../../../test-support/metrics.js';
import type { ActivityBody } from '../../../../test-support/activities.js';
import { canRunGateway } from '../../../../test-support/ssh-gateway.js';

const slowOperation = `applications:
  app:
    source:
      operations:
        slow:
          command: echo started; while true; do echo tick; sleep 0.2; done
`;

// Source operations run in the bubblewrap sandbox (root, as the SSH tests).
describe.runIf(canRunGateway).each(databaseKinds())('a worker that loses its lease (%s)', { timeout: 90_000 }, (kind) => {
  const ctx = useListeningServer(kind, { env: { PIER_WORKER: 'off', PIER_ACTIVITY_LEASE_SECONDS: '2' } });

  it('counts the activity it gave up', async () => {
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectAs(ctx.server, admin, 'Leases');
    await arrangeProjectCode(ctx.server, projectId, admin.headers, { '.pier/config.yaml': slowOperation });
    const port = await freePort();
    const stalled = startWorkerProcess(ctx.server, { PIER_METRICS_PORT: String(port) });
    const workers = [stalled];
    try {
      await expect.poll(() => scrape(`http://127.0.0.1:${port}/metrics`).then((s) => s.status, () => 0), { timeout: 20_000 }).toBe(200);
      const started = await apiAs(ctx.server, admin.headers).POST('/projects/{projectId}/environments/{environmentId}/source-operation', {
        params: { path: { projectId, environmentId: 'main' } },
        body: { operation: 'slow' },
      });
      expect(started.response.status).toBe(202);
      const activityId = started.data!._embedded.activities[0]!.id;
      const activity = () => request<ActivityBody>(`${ctx.server.url}/projects/${projectId}/activities/${activityId}`, { headers: admin.headers });
      // Stopped while its command runs: not inside a database transaction, whose locks would keep
      // every other worker from taking over (a stall the lease cannot help with).
      const log = () => fetch(`${ctx.server.url}/projects/${projectId}/activities/${activityId}/log?max_delay=0`, { headers: admin.headers }).then((r) => r.text());
      await expect.poll(log, { timeout: 20_000 }).toContain('started');
      await new Promise((resolve) => setTimeout(resolve, 300));

      process.kill(stalled.pid!, 'SIGSTOP');
      workers.push(startWorkerProcess(ctx.server));
      await expect.poll(async () => (await activity()).body.attempts, { timeout: 20_000 }).toBe(2);
      process.kill(stalled.pid!, 'SIGCONT');

      const lost = () => scrape(`http://127.0.0.1:${port}/metrics`).then((s) => s.value('pier_worker_leases_lost_total', { type: 'environment.source-operation' }));
      // It notices at its next lease renewal, once its own step in hand (a clone, a command) ends.
      await expect.poll(lost, { timeout: 30_000 }).toBe(1);
      // Its stale run's log lines collide with its successor's; that must not end the process.
      expect(stalled.exitCode).toBeNull();
    } finally {
      if (stalled.pid) process.kill(stalled.pid, 'SIGCONT');
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  });
});
