import { Gauge } from 'prom-client';
import type { Services } from '../services.js';
import type { QueueSnapshot } from '../activities/store.js';
import type { PierMetrics } from './pier-metrics.js';

/**
 * Gauges read when scraped (the database and the in-memory caches hold the truth, so nothing is
 * counted twice), and the revocation feed watched for how fast revocations arrive. Activity and
 * queue gauges describe the whole installation: every process reports the same values, so
 * dashboards take `max` over processes.
 */
export function watchState(metrics: PierMetrics, services: Pick<Services, 'database' | 'activities' | 'logger'> & Partial<Pick<Services, 'verifier' | 'tokenExchange'>>): () => void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'pier_access_tokens_cached',
    help: 'Access tokens held in memory: verified (bearer checks skip the signature) and reusable (repeated exchanges get them back)',
    labelNames: ['cache'] as const,
    registers,
    collect() {
      this.set({ cache: 'verified' }, services.verifier?.cachedCount ?? 0);
      this.set({ cache: 'reusable' }, services.tokenExchange?.reusableCount ?? 0);
    },
  });

  const snapshot = sharedWhileInFlight(() => services.activities.queueSnapshot());
  const withSnapshot = async (apply: (queue: QueueSnapshot) => void) => {
    try {
      apply(await snapshot());
    } catch (error) {
      // A scrape must not fail because the database is away: the gauges keep their last values.
      services.logger.warn({ err: error }, 'metrics could not read the activity queue');
    }
  };
  new Gauge({
    name: 'pier_activities',
    help: 'Activities in the database by type and state',
    labelNames: ['type', 'state'] as const,
    registers,
    async collect() {
      await withSnapshot((queue) => {
        this.reset();
        for (const row of queue.activities) this.set({ type: row.type, state: row.state }, row.count);
      });
    },
  });
  new Gauge({
    name: 'pier_activity_queue_depth',
    help: 'Activities waiting for a worker (pending)',
    registers,
    async collect() {
      await withSnapshot((queue) => this.set(queue.pending));
    },
  });
  new Gauge({
    name: 'pier_activity_queue_oldest_age_seconds',
    help: 'Age of the oldest pending activity (0 when none waits)',
    registers,
    async collect() {
      await withSnapshot((queue) => this.set(queue.oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(queue.oldestPendingAt)) / 1000) : 0));
    },
  });

  return services.database.changes.subscribe('revocation', (payload) => {
    // `<kind>:<id>[:<announced at, ms>]`; announcements from older servers carry no time.
    const [kind, , announcedAt] = payload.split(':');
    if (kind !== 'api_token' && kind !== 'access_token') return;
    metrics.revocationsPropagated.inc({ kind });
    if (announcedAt && /^\d+$/.test(announcedAt)) metrics.revocationLag.observe(Math.max(0, (Date.now() - Number(announcedAt)) / 1000));
  });
}

/**
 * One database snapshot per scrape: prom-client starts every gauge's `collect` in the same tick,
 * so the gauges of one scrape share the query in flight; the next scrape reads afresh. (A snapshot
 * kept for a fixed time would show a scrape right after a change the state from before it.)
 */
function sharedWhileInFlight<T>(load: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
