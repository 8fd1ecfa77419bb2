/**
 * What a new user sees at start: commands they can copy as printed, and log lines they can read.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, repoRoot } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { startBanner } from './start-banner.js';

/** Runs a banner line the way a person pastes it into the shell that started the server. */
function paste(line: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-home-'));
  const result = spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: home, npm_config_update_notifier: 'false' } });
  fs.rmSync(home, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The banner follows readiness by a moment (the sandbox probe). */
async function bannerOf(output: () => string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!output().includes('npx pier auth:info') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return output();
}

function bannerLine(output: string, command: string): string {
  const line = output.split('\n').find((l) => l.includes(command));
  if (!line) throw new Error(`no "${command}" in the banner:\n${output}`);
  return line.trim();
}

describe('the start banner and the logs', { timeout: 60_000 }, () => {
  const ctx = usePierServer('sqlite', { env: { PIER_LOG_FORMAT: 'pretty', PIER_PUBLIC_URL: 'http://pier.example.com' } });

  it('prints commands that work as printed: npx pier-server … then npx pier …', async () => {
    const output = await bannerOf(ctx.server.output);
    const createToken = bannerLine(output, 'npx pier-server user:create-token');
    expect(createToken).toBe(`PIER_DATA_DIR=${ctx.server.dataDir} npx pier-server user:create-token ${ADMIN_EMAIL} --name ci`);
    const created = paste(createToken, process.cwd());
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^pier_[0-9A-Za-z]{49}$/);

    const authInfo = bannerLine(output, 'npx pier auth:info').replace('<token>', token).replace('http://pier.example.com', ctx.server.url);
    const info = paste(authInfo, process.cwd());
    expect(info.stdout + info.stderr).toContain(ADMIN_EMAIL);
    expect(info.status).toBe(0);
  });

  it('prefixes a cd into the installation when started elsewhere, and never prints a secret setting', () => {
    const banner = startBanner(
      { url: 'http://127.0.0.1:8080', admin: { email: ADMIN_EMAIL, created: false }, sandbox: { available: true }, publicUrlWarning: undefined, metrics: undefined },
      { PIER_DATA_DIR: '/srv/pier data', DATABASE_URL: 'postgres://pier:hunter2@db/pier', PIER_SECRETS_KEY: 'k'.repeat(40) },
      '/',
    );
    const line = bannerLine(banner, 'npx pier-server');
    expect(line).toBe(`cd ${repoRoot} && PIER_DATA_DIR='/srv/pier data' npx pier-server user:create-token ${ADMIN_EMAIL} --name ci`);
    expect(banner).toContain("(with this server's DATABASE_URL and PIER_SECRETS_KEY set)");
    expect(banner).not.toContain('hunter2');
    expect(banner).not.toContain('kkkk');
    // The cd prefix works as printed from anywhere.
    expect(paste(`${line.split(' && ')[0]} && npx pier-server --help`, '/').stdout).toContain('Usage: pier-server');
  });

  it('warns that a plain-HTTP public URL off loopback exposes credentials', async () => {
    expect(await bannerOf(ctx.server.output)).toContain('WARNING: PIER_PUBLIC_URL is http://pier.example.com, plain HTTP on a non-loopback address');
  });

  it('survives SIGHUP (systemctl reload) with no TLS to reload', async () => {
    ctx.server.process.kill('SIGHUP');
    await expect.poll(() => ctx.server.output()).toContain('SIGHUP: nothing to reload');
    expect((await request(`${ctx.server.url}/readyz`)).status).toBe(200);
  });

  it('keeps /metrics off unless a scrape token or a metrics port is set', async () => {
    expect((await fetch(`${ctx.server.url}/metrics`)).status).toBe(404);
    expect(await bannerOf(ctx.server.output)).not.toContain('Metrics:');
  });

  it('writes one readable line per request with PIER_LOG_FORMAT=pretty, secrets still hidden', async () => {
    await request(`${ctx.server.url}/users/me?access_token=not-a-real-token-123`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const line = ctx.server.output().split('\n').find((l) => l.includes('GET /users/me?'));
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/users\/me\?\[query hidden\] 401 \d+\.\d ms$/);
    expect(ctx.server.output()).not.toContain('not-a-real-token-123');
    expect(ctx.server.output()).not.toMatch(/^\{"level"/m);
  });
});
