import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { SandboxAvailability } from '@pier/runtime';
import type { Config } from './config.js';
import { createServices, type Services } from './services.js';
import { buildApp } from './app.js';
import { ensureInstanceAdmin } from './users/bootstrap.js';
import { createWorker } from './activities/handlers.js';
import { startGatewaySocket } from './ssh/gateway-socket.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const services = await createServices(config, logger);
  const worker = config.runWorker ? createWorker(services) : undefined;
  try {
    const admin = await ensureInstanceAdmin(services);
    const app = await buildApp(services);
    const address = await app.listen({ port: config.port, host: config.host });
    const gatewaySocket = await startGatewaySocket(services);
    worker?.start();
    const url = config.port === 0 ? address : config.publicUrl;
    printBanner(url, admin, await services.sandboxes.check());
    return {
      app,
      services,
      url,
      async close() {
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

function printBanner(url: string, admin: Awaited<ReturnType<typeof ensureInstanceAdmin>>, sandbox: SandboxAvailability): void {
  const lines = [``, `Pier is running at ${url}`, ``];
  if (!sandbox.available) lines.push(`User code (hooks, crons, source operations, SSH sessions) will not run: ${sandbox.problem}.`, ``);
  if (admin.generatedPassword) {
    lines.push(
      `An instance admin was created. Log in with:`,
      `  e-mail:   ${admin.email}`,
      `  password: ${admin.generatedPassword}   (shown once; set PIER_ADMIN_PASSWORD to choose it)`,
    );
  } else if (admin.created) {
    lines.push(`An instance admin was created: ${admin.email} (password from PIER_ADMIN_PASSWORD).`);
  } else {
    lines.push(`Log in as an instance admin (e.g. ${admin.email}).`);
  }
  lines.push(
    `API token for automation: pier-server user:create-token ${admin.email} --name ci`,
    `Then: PIER_CLI_TOKEN=<token> PIER_CLI_API_URL=${url} npx pier auth:info`,
    ``,
  );
  process.stderr.write(lines.join('\n') + '\n');
}
