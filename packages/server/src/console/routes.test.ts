import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Services } from '../services.js';
import { registerErrorHandling } from '../http/errors.js';
import { consoleRoutes } from './routes.js';

async function appWith(distDir: string) {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  const app = Fastify();
  registerErrorHandling(app);
  await app.register(consoleRoutes, { services: { logger } as unknown as Services, distDir });
  app.get('/projects', async () => []);
  await app.ready();
  return { app, lines };
}

function fakeBuild(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-console-dist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Pier console</title>');
  fs.writeFileSync(path.join(dir, 'assets/index-abc123.js'), 'console.log(1)');
  return dir;
}

describe('serving the web console', () => {
  it('serves index.html for console pages and the sign-up link, assets with long caching', async () => {
    const { app } = await appWith(fakeBuild());
    for (const url of ['/', '/sign-up?invitation=abc', '/console', '/console/projects/p1/settings/access']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('leaves API paths alone: unknown ones keep their JSON 404', async () => {
    const { app } = await appWith(fakeBuild());
    expect((await app.inject({ url: '/projects' })).json()).toEqual([]);
    for (const url of ['/nope', '/assets/missing.js', '/projects/p1/nope']) {
      const response = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ status: 'error', error: 'not_found' });
    }
  });

  it('starts without a console build and says how to get one', async () => {
    const { app, lines } = await appWith(path.join(os.tmpdir(), 'pier-no-console-here'));
    expect((await app.inject({ url: '/' })).statusCode).toBe(404);
    expect(lines.join('')).toContain('the web console is not built');
  });
});
