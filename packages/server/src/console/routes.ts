import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Services } from '../services.js';
import { siblingPackageDir } from '../package-dir.js';

/** Where the console build lands (`packages/console/dist`). */
export const consoleDistDir = path.join(siblingPackageDir('console'), 'dist');

/**
 * The web console: a single-page app served from the API's origin, so its session cookie is
 * same-origin and SameSite=Strict. Console pages live under /console/ (plus / and the e-mailed
 * /sign-up link), so they never shadow an API path and unknown API paths keep their JSON 404.
 */
export async function consoleRoutes(app: FastifyInstance, { services, distDir = consoleDistDir }: { services: Services; distDir?: string }): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    services.logger.warn({ distDir }, 'the web console is not built: run `npm run build` to serve it at /');
    return;
  }

  // Hashed file names: cache them for a year. index.html itself is never cached.
  await app.register(fastifyStatic, {
    root: path.join(distDir, 'assets'),
    prefix: '/assets/',
    wildcard: true,
    index: false,
    immutable: true,
    maxAge: '365d',
  });

  const sendIndex = (reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY')
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      )
      .sendFile('index.html', distDir, { cacheControl: false });

  const page = { config: { requires: 'public' as const }, schema: { hide: true } };
  app.get('/', page, (_request, reply) => sendIndex(reply));
  app.get('/sign-up', page, (_request, reply) => sendIndex(reply));
  app.get('/console', page, (_request, reply) => sendIndex(reply));
  app.get('/console/*', page, (_request, reply) => sendIndex(reply));
}
