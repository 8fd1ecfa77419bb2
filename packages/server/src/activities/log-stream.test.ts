import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess } from '../../../../test-support/in-process-actors.js';

/** No worker runs here: the activity stays pending for ever, which a log stream must survive. */
describe('following the log of an activity that never finishes', () => {
  const ctx = useInProcessServer('sqlite', { env: { PIER_LOG_STREAM_MAX_SECONDS: '1' } });

  it('ends the wait, unsealed, after PIER_LOG_STREAM_MAX_SECONDS even with max_delay=-1', async () => {
    const admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectInProcess(ctx.server, admin, 'Stuck');
    const queued = await rawRequest<{ _embedded: { activities: Array<{ id: string }> } }>(ctx.server, `/projects/${projectId}/environments/main/backup`, {
      headers: admin.headers,
      json: {},
    });
    const log = `${ctx.server.url}/projects/${projectId}/activities/${queued.body._embedded.activities[0]!.id}/log`;
    for (const query of ['?max_delay=-1', '', '?max_delay=3600']) {
      const started = Date.now();
      // inject answers once the stream has ended, so a stream that never ends fails the test by its timeout.
      const response = await ctx.server.fetch(new Request(`${log}${query}`, { headers: admin.headers }));
      expect(response.status).toBe(200);
      expect(await response.text()).not.toContain('"seal"');
      expect(Date.now() - started, query).toBeLessThan(5_000);
    }
  });
});
