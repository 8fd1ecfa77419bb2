import type tls from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createServices, type Services } from './services.js';
import { buildApp } from './app.js';
import { ensureInstanceAdmin } from './users/bootstrap.js';
import { createWorker } from './activities/handlers.js';
import { startGatewaySocket } from './ssh/gateway-socket.js';
import { startBanner } from './operations/start-banner.js';
import { publicUrlWarning } from './operations/public-url.js';
import { passwordHashCostWarning } from './users/passwords.js';
import { readTlsFiles, reloadTlsOnHangup } from './operations/tls.js';
import { startMetrics } from './metrics/scrape-endpoint.js';
import type { CommandOutput } from './operations/command-output.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly url: string;
  close(): Promise<void>;
}

/** `serve` and `api`: the API (and, with `runWorker`, the worker) listening; the start banner goes to `output`'s stderr. */
export async function startServer(config: Config, logger: Logger, output: CommandOutput): Promise<RunningServer> {
  const tlsFiles = config.operations.tls ? readTlsFiles(config.operations.tls) : undefined;
  const services = await createServices(config, logger);
  const worker = config.runWorker ? createWorker(services) : undefined;
  try {
    const admin = await ensureInstanceAdmin(services);
    const app = await buildApp(services, tlsFiles);
    const address = await app.listen({ port: config.port, host: config.host });
    const stopTlsReload = reloadTlsOnHangup(app.server as unknown as tls.Server, config.operations.tls, logger);
    const gatewaySocket = await startGatewaySocket(services);
    worker?.start();
    const url = config.port === 0 ? address : config.publicUrl;
    const metrics = await startMetrics(services, url);
    const warning = publicUrlWarning(config.publicUrl);
    if (warning) services.logger.warn(warning);
    const hashCostWarning = passwordHashCostWarning(config.passwordHashCost);
    if (hashCostWarning) services.logger.warn(hashCostWarning);
    output.stderr(startBanner({ url, admin, sandbox: await services.sandboxes.check(), publicUrlWarning: warning, metrics: metrics.where }));
    return {
      app,
      services,
      url,
      async close() {
        stopTlsReload();
        await metrics.close();
        await gatewaySocket?.close();
        await app.close();
        await worker?.stop();
        await services.close();
      },
    };
  } catch (error) {
    await services.close();
    throw error;
  }
}
