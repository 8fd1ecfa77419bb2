import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Activity } from '../db/schema.js';
import type { DatabaseExecutor } from '../db/database.js';
import type { ChangeFeed } from '../db/change-feed.js';
import type { ActivityStore } from './store.js';

export interface ActivityContext {
  readonly activity: Activity;
  readonly payload: Record<string, unknown>;
  /** Aborted when the activity is cancelled or this worker loses its lease. */
  readonly signal: AbortSignal;
  log(message: string): Promise<void>;
  progress(percent: number): Promise<void>;
}

/** Runs one type of activity. Handlers must be safe to run again after a crash mid-way. */
export type ActivityHandler = (context: ActivityContext) => Promise<{ payload?: Record<string, unknown> } | void>;

export interface WorkerOptions {
  leaseSeconds: number;
  maxAttempts: number;
  concurrency: number;
  pollMs: number;
  /** Told when another worker took over an activity this one was running (a metric). */
  onLeaseLost?: (activity: Activity) => void;
  /** Undoes what a run that died too often left behind, when the queue fails it. */
  cleanUpAbandoned(executor: DatabaseExecutor, activity: Activity): Promise<void>;
}

class Cancelled extends Error {}
class LeaseLost extends Error {}

/** Claims activities from the queue and runs their handlers, renewing leases while they run. */
export class ActivityWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = new Set<Promise<void>>();
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  /** Running activities by id, so a cancel request stops one at once. */
  private readonly controllers = new Map<string, { controller: AbortController; cancel(): void }>();

  constructor(
    private readonly store: ActivityStore,
    private readonly handlers: ReadonlyMap<string, ActivityHandler>,
    private readonly changes: ChangeFeed,
    private readonly logger: Logger,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    this.unsubscribe.push(this.changes.subscribe('activity', () => this.wake?.()));
    this.unsubscribe.push(this.changes.subscribe('activity_cancel', (id) => this.controllers.get(id)?.cancel()));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.wake?.();
    await this.loop;
    await Promise.allSettled(this.running);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        for (const failed of await this.store.failAbandoned(this.options.maxAttempts, this.options.cleanUpAbandoned)) {
          this.logger.warn({ activityId: failed.id, type: failed.type }, 'activity failed after its worker died too often');
        }
        while (!this.stopped && this.running.size < this.options.concurrency) {
          const activity = await this.store.claim(this.id, this.options.leaseSeconds, this.options.maxAttempts);
          if (!activity) break;
          const execution = this.execute(activity).finally(() => {
            this.running.delete(execution);
            this.wake?.();
          });
          this.running.add(execution);
        }
      } catch (error) {
        this.logger.error({ err: error }, 'activity queue poll failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async execute(activity: Activity): Promise<void> {
    const handler = this.handlers.get(activity.type);
    const controller = new AbortController();
    let abortReason: 'cancel' | 'lease' | undefined;
    const abort = (reason: 'cancel' | 'lease') => {
      if (abortReason) return;
      abortReason = reason;
      controller.abort(reason === 'cancel' ? new Cancelled('cancelled') : new LeaseLost('lease lost'));
    };
    // Registered before the first await, a cancel published from now on stops the run at once;
    // one requested between the claim and here is seen by the first lease check, made now rather
    // than a third of a lease later.
    this.controllers.set(activity.id, { controller, cancel: () => abort('cancel') });
    const checkLease = () =>
      void this.store.renew(activity.id, this.id, this.options.leaseSeconds).then(
        ({ held, cancelRequested }) => {
          if (!held) abort('lease');
          else if (cancelRequested) abort('cancel');
        },
        (error: unknown) => this.logger.warn({ err: error, activityId: activity.id }, 'lease renewal failed'),
      );
    checkLease();
    const heartbeat = setInterval(checkLease, Math.max(200, (this.options.leaseSeconds * 1000) / 3));
    let seq = 0;
    const log = async (message: string) => {
      await this.store.appendLog(activity.id, seq++, message);
      await this.changes.publish('activity_log', activity.id);
    };
    try {
      seq = await this.store.nextLogSeq(activity.id);
      if (activity.attempts > 1) await log(`Resuming after an interrupted attempt (attempt ${activity.attempts}).`);
      if (!handler) throw new Error(`No handler for activity type ${activity.type}`);
      const outcome = await handler({
        activity,
        payload: JSON.parse(activity.payload) as Record<string, unknown>,
        signal: controller.signal,
        log,
        progress: (percent) => this.store.progress(activity.id, this.id, percent),
      });
      if (controller.signal.aborted) throw controller.signal.reason;
      if (!(await this.store.finish(activity.id, this.id, { state: 'complete', result: 'success', payload: outcome?.payload }))) this.gaveUp(activity);
    } catch (error) {
      if (abortReason === 'lease' || error instanceof LeaseLost) return this.gaveUp(activity);
      const cancelled = abortReason === 'cancel' || error instanceof Cancelled;
      await log(cancelled ? 'The activity was cancelled.' : `Error: ${error instanceof Error ? error.message : String(error)}`).catch(() => undefined);
      const finished = await this.store.finish(activity.id, this.id, {
        state: cancelled ? 'cancelled' : 'complete',
        result: 'failure',
        failureReason: cancelled ? null : 'error',
      });
      // A run that resumed after a stall fails on what its successor changed (log positions…):
      // the activity is the successor's now.
      if (!finished) this.gaveUp(activity);
    } finally {
      clearInterval(heartbeat);
      this.controllers.delete(activity.id);
      await this.changes.publish('activity_log', activity.id).catch(() => undefined);
    }
  }

  private gaveUp(activity: Activity): void {
    this.logger.warn({ activityId: activity.id }, 'lost the lease; another worker will take over');
    this.options.onLeaseLost?.(activity);
  }
}
