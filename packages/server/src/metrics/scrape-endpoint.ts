import http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, onResponseHookHandler } from 'fastify';
import type { Services, WorkerServices } from '../services.js';
import type { MetricsConfig } from '../operations/config.js';
import { ApiError } from '../http/errors.js';
import { watchState } from './state-gauges.js';

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const TOKEN_ENDPOINT = '/oauth2/token';

/** Whether this installation exposes metrics at all (a scrape token or a metrics port). */
export function metricsExposed(config: MetricsConfig): boolean {
  return config.token !== undefined || config.port !== undefined;
}

/**
 * Every request's method, route pattern (`/projects/:projectId`, never the path: bounded
 * cardinality, no ids) and status, and the token endpoint's outcomes. Registered only when
 * metrics are exposed, so an installation without them pays nothing per request.
 */
export function recordHttpMetrics(app: FastifyInstance, services: Services): void {
  if (!metricsExposed(services.config.operations.metrics)) return;
  const { metrics } = services;
  const recorder = (route: string): onResponseHookHandler => (request, reply, done) => {
    const status = reply.statusCode;
    metrics.observeHttp(HTTP_METHODS.has(request.method) ? request.method : 'OTHER', route, status, reply.elapsedTime / 1000);
    if (route === TOKEN_ENDPOINT) metrics.tokenExchanges.inc({ result: status === 200 ? 'ok' : status === 429 ? 'throttled' : 'failed' });
    done();
  };
  // Each route gets a hook that knows its pattern: `request.routeOptions` builds an object per call.
  app.addHook('onRoute', (route) => {
    const existing = route.onResponse === undefined ? [] : Array.isArray(route.onResponse) ? route.onResponse : [route.onResponse];
    route.onResponse = [...existing, recorder(route.url)];
  });
  // Requests no route matched pass only through global hooks.
  const unmatched = recorder('unmatched');
  app.addHook('onResponse', (request, reply, done) => (request.is404 ? unmatched.call(app, request, reply, done) : done()));
}

/**
 * `GET /metrics` on the API's port, when a scrape token is set and no metrics port is: outside
 * the OpenAPI document (it is for Prometheus, not API clients, and its credential is the scrape
 * token, not a user's), so no role or authorization-matrix row applies.
 */
export function metricsRoute(app: FastifyInstance, services: Services): void {
  const settings = services.config.operations.metrics;
  if (settings.token === undefined || settings.port !== undefined) return;
  // Public to the API's permissions: the handler checks the scrape token, which is no user credential.
  app.get('/metrics', { config: { requires: 'public' }, schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    if (!scrapeAllowed(request.headers.authorization, settings.token)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new ApiError('authentication_required', 'Send the scrape token (PIER_METRICS_TOKEN) as a bearer token.');
    }
    return reply.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
}

/**
 * Starts what serving metrics needs in this process — process metrics, the state gauges and,
 * with `PIER_METRICS_PORT`, a listener of its own (also for `pier-server worker`, which has no
 * API). Returns where scrapes go, for the banner.
 */
/** A worker-only process has no token caches: the cache gauge reads 0 there, as it always did. */
type MetricsServices = WorkerServices & Partial<Pick<Services, 'verifier' | 'tokenExchange'>>;

export async function startMetrics(services: MetricsServices, apiUrl: string | undefined): Promise<{ where: string | undefined; close(): Promise<void> }> {
  const settings = services.config.operations.metrics;
  if (!metricsExposed(settings)) return { where: undefined, close: async () => undefined };
  services.metrics.collectProcessMetrics();
  const unwatch = watchState(services.metrics, services);
  const bearer = settings.token === undefined ? '' : ' (Authorization: Bearer <PIER_METRICS_TOKEN>)';
  if (settings.port === undefined) {
    return { where: apiUrl ? `${apiUrl}/metrics${bearer}` : undefined, close: async () => unwatch() };
  }
  const server = http.createServer((request, response) => void answerScrape(services, settings, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      unwatch();
      reject(error.code === 'EADDRINUSE' ? new Error(`PIER_METRICS_PORT ${settings.port} on ${settings.host} is in use: every process needs a port of its own.`) : error);
    });
    server.listen(settings.port, settings.host, () => resolve());
  });
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    where: `http://${host}:${settings.port}/metrics${bearer}`,
    async close() {
      unwatch();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function answerScrape(services: MetricsServices, settings: MetricsConfig, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const path = (request.url ?? '').split('?')[0];
  if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here.\n');
    return;
  }
  if (settings.token !== undefined && !scrapeAllowed(request.headers.authorization, settings.token)) {
    response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('Send the scrape token (PIER_METRICS_TOKEN) as a bearer token.\n');
    return;
  }
  try {
    const body = await services.metrics.registry.metrics();
    response.writeHead(200, { 'content-type': services.metrics.registry.contentType }).end(request.method === 'HEAD' ? undefined : body);
  } catch (error) {
    services.logger.error({ err: error }, 'metrics scrape failed');
    response.writeHead(500, { 'content-type': 'text/plain' }).end('The metrics could not be collected; the server log has the details.\n');
  }
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function scrapeAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
