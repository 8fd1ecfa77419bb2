import type { Services } from '../services.js';
import type { ActivityHandler } from './worker.js';
import { ActivityWorker } from './worker.js';
import { BACKUP_ACTIVITY, RESTORE_ACTIVITY, backupHandler, restoreHandler } from '../backups/handlers.js';
import { SOURCE_OPERATION_ACTIVITY, sourceOperationHandler } from '../source-operations/handler.js';

/** Every long-running activity type and the handler that runs it. */
export function activityHandlers(services: Services): Map<string, ActivityHandler> {
  return new Map<string, ActivityHandler>([
    [BACKUP_ACTIVITY, backupHandler(services)],
    [RESTORE_ACTIVITY, restoreHandler(services)],
    [SOURCE_OPERATION_ACTIVITY, sourceOperationHandler(services)],
  ]);
}

export function createWorker(services: Services): ActivityWorker {
  return new ActivityWorker(services.activities, activityHandlers(services), services.database.changes, services.logger, {
    leaseSeconds: services.config.activityLeaseSeconds,
    maxAttempts: 3,
    concurrency: services.config.workerConcurrency,
    pollMs: 1_000,
  });
}
