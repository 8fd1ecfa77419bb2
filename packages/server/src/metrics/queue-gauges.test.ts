/**
 * The activity gauges describe the database as it is when scraped: a scrape right after another
 * one already counts what was queued in between (each scrape takes one snapshot, shared only by
 * its own gauges).
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { actorInProcess, createProjectInProcess } from '../../../../test-support/in-process-actors.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { scrape } from '../../../../test-support/metrics.js';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

describe('activity queue gauges', () => {
  // No worker: what is queued stays queued.
  const ctx = useInProcessServer('sqlite', { env: { PIER_METRICS_TOKEN: METRICS_TOKEN } });
  const queueDepth = async () => (await scrape(`${ctx.server.url}/metrics`, METRICS_TOKEN, (request) => ctx.server.fetch(request))).value('pier_activity_queue_depth');

  it('count an activity queued just after the previous scrape', async () => {
    const admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectInProcess(ctx.server, admin, 'Gauges');
    const before = await queueDepth();
    expect((await rawRequest(ctx.server, `/projects/${projectId}/environments/main/backup`, { headers: admin.headers, json: {} })).status).toBe(202);
    expect(await queueDepth()).toBe(before! + 1);
    expect((await rawRequest(ctx.server, `/projects/${projectId}/environments/main/backup`, { headers: admin.headers, json: {} })).status).toBe(202);
    expect(await queueDepth()).toBe(before! + 2);
  });
});
