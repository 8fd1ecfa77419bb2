/**
 * The server modules the in-process fixture runs, loaded from the build (`packages/server/dist`)
 * by Node itself rather than through vitest: transforming the whole server (source or build) costs
 * a few seconds in every test file that starts one. Types come from the emitted `.d.ts`.
 *
 * A stale build cannot test old code under `npm test`: its script is `npm run build && vitest run`,
 * so the build is always fresh there. Running `npx vitest run <file>` by hand after editing server
 * source needs `npm run build` first (the spawned-binary suites already need it).
 */
import { loadServerBuild as load } from './server-build.js';

import type * as Config from '../packages/server/dist/config.js';
import type * as Logging from '../packages/server/dist/logging.js';
import type * as ServicesModule from '../packages/server/dist/services.js';
import type * as App from '../packages/server/dist/app.js';
import type * as Bootstrap from '../packages/server/dist/users/bootstrap.js';
import type * as Handlers from '../packages/server/dist/activities/handlers.js';
import type * as ScrapeEndpoint from '../packages/server/dist/metrics/scrape-endpoint.js';
import type * as Server from '../packages/server/dist/server.js';
export type { Services } from '../packages/server/dist/services.js';


export const { loadConfig } = load<typeof Config>('config.js');
export const { loggerOptions } = load<typeof Logging>('logging.js');
export const { createServices } = load<typeof ServicesModule>('services.js');
export const { buildApp } = load<typeof App>('app.js');
export const { ensureInstanceAdmin } = load<typeof Bootstrap>('users/bootstrap.js');
export const { createWorker } = load<typeof Handlers>('activities/handlers.js');
export const { startMetrics } = load<typeof ScrapeEndpoint>('metrics/scrape-endpoint.js');
export const { startServer } = load<typeof Server>('server.js');
