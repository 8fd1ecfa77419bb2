import type { WorkerServices } from '../services.js';
import type { ActivityHandler } from './worker.js';
import { ActivityWorker } from './worker.js';
import { CronScheduler } from '../runtime/cron-scheduler.js';
import { ExpiryNoticeJob } from '../auth/expiry-notices.js';
import { BACKUP_ACTIVITY, RESTORE_ACTIVITY, abandonedBackupCleanup, backupHandler, restoreHandler } from '../backups/handlers.js';
import { SOURCE_OPERATION_ACTIVITY, sourceOperationHandler } from '../source-operations/handler.js';
import { CRON_ACTIVITY, DEPLOY_ACTIVITIES, cronHandler, deployHandler } from '../runtime/handlers.js';

/** Every long-running activity type and the handler that runs it. */
export function activityHandlers(services: WorkerServices): Map<string, ActivityHandler> {
  return new Map<string, ActivityHandler>([
    [BACKUP_ACTIVITY, backupHandler(services)],
    [RESTORE_ACTIVITY, restoreHandler(services)],
    [SOURCE_OPERATION_ACTIVITY, sourceOperationHandler(services)],
    ...DEPLOY_ACTIVITIES.map((type) => [type, deployHandler(services)] as [string, ActivityHandler]),
    [CRON_ACTIVITY, cronHandler(services)],
  ]);
}

/** The background work of a process: the activity worker, the cron scheduler and the API token expiry notices. */
export function createWorker(services: WorkerServices): { id: string; start(): void; stop(): Promise<void> } {
  const handlers = activityHandlers(services);
  for (const type of handlers.keys()) services.metrics.leasesLost.inc({ type }, 0);
  const worker = new ActivityWorker(services.activities, handlers, services.database.changes, services.logger, {
    leaseSeconds: services.config.activityLeaseSeconds,
    maxAttempts: 3,
    concurrency: services.config.workerConcurrency,
    pollMs: 1_000,
    onLeaseLost: (activity) => services.metrics.leasesLost.inc({ type: activity.type }),
    cleanUpAbandoned: async (executor, activity) => {
      if (activity.type === BACKUP_ACTIVITY) await abandonedBackupCleanup(services, executor, activity);
    },
  });
  const scheduler = new CronScheduler(services);
  const expiryNotices = new ExpiryNoticeJob(services);
  return {
    id: worker.id,
    start() {
      worker.start();
      scheduler.start();
      expiryNotices.start();
    },
    async stop() {
      scheduler.stop();
      await expiryNotices.stop();
      await worker.stop();
    },
  };
}
