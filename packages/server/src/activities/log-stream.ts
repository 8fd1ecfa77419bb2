import { Readable } from 'node:stream';
import type { ChangeFeed } from '../db/change-feed.js';
import type { ActivityStore } from './store.js';

const BATCH = 500;
const terminal = new Set(['complete', 'cancelled']);

/**
 * The activity log as Platform.sh clients read it: NDJSON lines `{"_id", "data": {timestamp,
 * message}}` from index `startAt`, waiting for new lines up to `maxDelay` seconds (-1: until the
 * activity ends), then `{"seal": true}` once the activity has finished and every line was sent.
 * A client that reconnects with `start_at` = last `_id` + 1 gets no duplicates.
 *
 * No wait is endless: it stops when the client goes away (`signal`) and after `maxWaitSeconds`
 * whatever was asked (an activity whose worker is gone may never finish); the response then ends
 * without the seal and clients reopen it, authenticating again.
 */
export function activityLogStream(
  store: ActivityStore,
  changes: ChangeFeed,
  activityId: string,
  options: { startAt: number; maxItems: number; maxDelay: number; maxWaitSeconds: number; signal: AbortSignal },
): Readable {
  async function* lines() {
    let cursor = options.startAt;
    let sent = 0;
    const wait = options.maxDelay < 0 ? options.maxWaitSeconds : Math.min(options.maxDelay, options.maxWaitSeconds);
    const deadline = Date.now() + wait * 1000;
    for (;;) {
      if (options.signal.aborted) return;
      // Read the state before the lines: a line written before the activity ended is then seen.
      const finished = terminal.has((await store.state(activityId)) ?? 'complete');
      const rows = await store.logFrom(activityId, cursor, BATCH);
      for (const row of rows) {
        yield `${JSON.stringify({ _id: String(row.seq), data: { timestamp: row.timestamp, message: row.message } })}\n`;
        cursor = row.seq + 1;
        if (options.maxItems > 0 && ++sent >= options.maxItems) return;
      }
      if (rows.length === BATCH) continue;
      if (finished) {
        yield '{"seal":true}\n';
        return;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return;
      await nextChange(changes, activityId, Math.min(remaining, 1_000), options.signal);
    }
  }
  return Readable.from(lines());
}

function nextChange(changes: ChangeFeed, activityId: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = changes.subscribe('activity_log', (id) => {
      if (id === activityId) done();
    });
    signal.addEventListener('abort', done);
  });
}
