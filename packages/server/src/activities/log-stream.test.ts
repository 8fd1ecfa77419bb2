import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs } from '../../../../test-support/actors.js';

/** No worker runs here: the activity stays pending for ever, which a log stream must survive. */
describe('following the log of an activity that never finishes', () => {
  const ctx = usePierServer('sqlite', { env: { PIER_WORKER: 'off', PIER_LOG_STREAM_MAX_SECONDS: '1' } });

  it('ends the wait, unsealed, after PIER_LOG_STREAM_MAX_SECONDS even with max_delay=-1', async () => {
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectAs(ctx.server, admin, 'Stuck');
    const queued = await request<{ _embedded: { activities: Array<{ id: string }> } }>(`${ctx.server.url}/projects/${projectId}/environments/main/backup`, {
      headers: admin.headers,
      json: {},
    });
    const log = `${ctx.server.url}/projects/${projectId}/activities/${queued.body._embedded.activities[0]!.id}/log`;
    for (const query of ['?max_delay=-1', '', '?max_delay=3600']) {
      const started = Date.now();
      const response = await fetch(`${log}${query}`, { headers: admin.headers, signal: AbortSignal.timeout(10_000) });
      expect(response.status).toBe(200);
      expect(await response.text()).not.toContain('"seal"');
      expect(Date.now() - started, query).toBeLessThan(5_000);
    }
  });
});
