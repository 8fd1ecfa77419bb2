import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createWorkerServices } from './services.js';
import { createWorker } from './activities/handlers.js';
import { startMetrics } from './metrics/scrape-endpoint.js';

/** `pier-server worker`: the activity worker without the HTTP API. */
export async function startWorkerOnly(config: Config, logger: Logger): Promise<{ close(): Promise<void> }> {
  // Only the stores and sandboxes the handlers use: no token machinery, no revocation feed.
  const services = await createWorkerServices(config, logger);
  const worker = createWorker(services);
  worker.start();
  const metrics = await startMetrics(services, undefined);
  logger.info({ worker: worker.id, metrics: metrics.where }, 'activity worker started');
  return {
    async close() {
      await metrics.close();
      await worker.stop();
      await services.close();
    },
  };
}
