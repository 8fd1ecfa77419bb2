import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { Config } from '../config.js';
import { createLogger } from '../logging.js';
import { createServices } from '../services.js';
import { buildApp } from '../app.js';

/** The OpenAPI document, generated from the route schemas of a throwaway in-memory instance. */
export async function exportOpenApi(config: Config): Promise<string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-openapi-'));
  const services = await createServices(
    { ...config, dataDir: scratch, databaseUrl: undefined, publicUrl: 'http://localhost:8080' },
    createLogger('silent'),
  );
  try {
    const app = await buildApp(services);
    await app.ready();
    return JSON.stringify(app.swagger(), null, 2) + '\n';
  } finally {
    await services.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
