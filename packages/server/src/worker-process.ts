import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createServices } from './services.js';
import { createWorker } from './activities/handlers.js';

/** `pier-server worker`: the activity worker without the HTTP API. */
export async function startWorkerOnly(config: Config, logger: Logger): Promise<{ close(): Promise<void> }> {
  const services = await createServices(config, logger);
  const worker = createWorker(services);
  worker.start();
  logger.info({ worker: worker.id }, 'activity worker started');
  return {
    async close() {
      await worker.stop();
      await services.close();
    },
  };
}
