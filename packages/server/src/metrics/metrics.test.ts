/**
 * `/metrics` scraped from real processes after a seed flow: the series exist, their values add
 * up, labels carry route patterns (never ids, tokens or addresses), and scrapes without the
 * token are refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, databaseKinds, freePort, repoRoot, startWorkerProcess } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { cliClient, request } from '../../../../test-support/http.js';
import { actor, createProjectAs } from '../../../../test-support/actors.js';
import { scrape } from '../../../../test-support/metrics.js';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';
const BACKUP_ROUTE = '/projects/:projectId/environments/:environmentId/backup';

describe.each(databaseKinds())('metrics (%s)', (kind) => {
  // The worker is off so that queued activities wait: a `pier-server worker` runs them later.
  const ctx = useListeningServer(kind, { env: { PIER_METRICS_TOKEN: METRICS_TOKEN, PIER_WORKER: 'off', PIER_SANDBOX: 'off', PIER_EXCHANGE_FAILURES_PER_MINUTE: '3' } });
  const metricsUrl = () => `${ctx.server.url}/metrics`;

  it('refuses a scrape without the token, or with another one', async () => {
    expect((await scrape(metricsUrl())).status).toBe(401);
    expect((await scrape(metricsUrl(), 'scrape-token-0123456789abcdeX')).status).toBe(401);
    const ok = await scrape(metricsUrl(), METRICS_TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.contentType).toContain('text/plain; version=0.0.4');
    expect(ok.value('pier_build_info', { version: '0.1.0', database: kind })).toBe(1);
    expect(ok.value('pier_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('exports every series the Grafana dashboard in docs/ queries', async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs/grafana-dashboard.json'), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    const queried = new Set(dashboard.panels.flatMap((panel) => panel.targets ?? []).flatMap((target) => target.expr.match(/pier_\w+/g) ?? []));
    const exported = (await scrape(metricsUrl(), METRICS_TOKEN)).text;
    expect(queried.size).toBeGreaterThan(15);
    for (const name of queried) expect(exported, name).toMatch(new RegExp(`^# TYPE ${name.replace(/_(bucket|sum|count)$/, '')} `, 'm'));
  });

  it('counts requests, token exchanges, revocations and the activity queue after a seed flow', async () => {
    const url = ctx.server.url;
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectAs(ctx.server, admin, 'Metrics');
    for (let i = 0; i < 2; i++) expect((await request(`${url}/projects/${projectId}/environments/main/backup`, { headers: admin.headers, json: {} })).status).toBe(202);
    await request(`${url}/no/such/path/${projectId}`);

    const queued = await scrape(metricsUrl(), METRICS_TOKEN);
    expect(queued.value('pier_activity_queue_depth')).toBe(2);
    expect(queued.value('pier_activity_queue_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(queued.value('pier_activity_queue_oldest_age_seconds')).toBeLessThan(60);
    expect(queued.value('pier_activities', { type: 'environment.backup', state: 'pending' })).toBe(2);
    expect(queued.value('pier_http_requests_total', { method: 'POST', route: BACKUP_ROUTE, status: '202' })).toBe(2);
    expect(queued.value('pier_http_request_duration_seconds_count', { method: 'POST', route: BACKUP_ROUTE })).toBe(2);
    expect(queued.value('pier_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(queued.value('pier_access_tokens_cached', { cache: 'verified' })).toBeGreaterThanOrEqual(1);
    expect(queued.value('pier_token_exchanges_total', { result: 'ok' })).toBe(1);

    // A revoked API token reaches every node through the change feed, this one included.
    const doomed = await createApiToken(ctx.server, ADMIN_EMAIL, 'doomed');
    expect((await request(`${url}/oauth2/revoke`, { headers: cliClient, form: { token: doomed } })).status).toBe(200);
    await expect.poll(async () => (await scrape(metricsUrl(), METRICS_TOKEN)).value('pier_revocations_propagated_total', { kind: 'api_token' }), { timeout: 5_000 }).toBe(1);
    const revoked = await scrape(metricsUrl(), METRICS_TOKEN);
    expect(revoked.value('pier_revocation_propagation_seconds_count')).toBe(1);
    expect(revoked.value('pier_revocation_propagation_seconds_sum')).toBeLessThan(1);

    // Three failed exchanges, then the address is throttled.
    for (let i = 0; i < 4; i++) await request(`${url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: `${doomed.slice(0, -4)}zzzz` } });
    const exchanges = await scrape(metricsUrl(), METRICS_TOKEN);
    expect(exchanges.value('pier_token_exchanges_total', { result: 'failed' })).toBe(3);
    expect(exchanges.value('pier_token_exchanges_total', { result: 'throttled' })).toBe(1);

    // Nothing that identifies a project, a user or a token is a label.
    for (const secret of [projectId, admin.userId, doomed, admin.headers.authorization!.slice(7)]) expect(exchanges.text).not.toContain(secret);

    // A worker process drains the queue; it serves its own metrics on a port of its own.
    const workerPort = await freePort();
    const worker = startWorkerProcess(ctx.server, { PIER_METRICS_PORT: String(workerPort), PIER_METRICS_TOKEN: '' });
    try {
      await expect.poll(async () => (await scrape(metricsUrl(), METRICS_TOKEN)).value('pier_activities', { type: 'environment.backup', state: 'complete' }), { timeout: 30_000 }).toBe(2);
      const drained = await scrape(metricsUrl(), METRICS_TOKEN);
      expect(drained.value('pier_activity_queue_depth')).toBe(0);
      expect(drained.value('pier_activity_queue_oldest_age_seconds')).toBe(0);
      const fromWorker = await scrape(`http://127.0.0.1:${workerPort}/metrics`);
      expect(fromWorker.status).toBe(200);
      // Each backup runs tar in the environment's sandbox (unconfined here: PIER_SANDBOX=off).
      expect(fromWorker.value('pier_sandbox_starts_total', { driver: 'unconfined' })).toBe(2);
      expect(fromWorker.value('pier_worker_leases_lost_total', { type: 'environment.backup' })).toBe(0);
      expect((await fetch(`http://127.0.0.1:${workerPort}/other`)).status).toBe(404);
    } finally {
      await worker.stop();
    }
  });
});

const metricsPort = await freePort();

describe('metrics on a port of their own', () => {
  const ctx = useListeningServer('sqlite', { env: { PIER_METRICS_PORT: String(metricsPort), PIER_METRICS_TOKEN: METRICS_TOKEN } });

  it('serves /metrics there, with the token, and not on the API port', async () => {
    expect((await fetch(`${ctx.server.url}/metrics`)).status).toBe(404);
    const where = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await scrape(where)).status).toBe(401);
    const ok = await scrape(where, METRICS_TOKEN);
    expect(ok.value('pier_build_info', { version: '0.1.0', database: 'sqlite' })).toBe(1);
    await expect.poll(() => ctx.server.output()).toContain(`Metrics: ${where} (Authorization: Bearer <PIER_METRICS_TOKEN>)`);
  });
});
