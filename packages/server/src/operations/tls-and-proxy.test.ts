/**
 * Serving HTTPS directly (PIER_TLS_CERT/PIER_TLS_KEY), and believing a reverse proxy's
 * X-Forwarded-For only when PIER_TRUST_PROXY names it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createApiToken, freePort, serverBin } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { cliClient, request } from '../../../../test-support/http.js';

function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('HTTPS served directly', { timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-tls-'));
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers over TLS with the configured certificate, and refuses a mismatched key at start', async () => {
    const { cert, key } = selfSignedCertificate(dir);
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', PIER_DATA_DIR: path.join(dir, 'data'), PORT: String(port), PIER_ADMIN_EMAIL: ADMIN_EMAIL, PIER_ADMIN_PASSWORD: ADMIN_PASSWORD, PIER_TLS_CERT: cert, PIER_TLS_KEY: key };
    server = spawn(process.execPath, [serverBin], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let banner = '';
    server.stderr!.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    await expect.poll(() => banner, { timeout: 30_000 }).toContain('Pier is running at');
    expect(banner).toContain(`Pier is running at https://127.0.0.1:${port}`);
    const ready = await httpsGet(`https://127.0.0.1:${port}/readyz`, fs.readFileSync(cert));
    expect(ready).toEqual({ status: 200, body: '{"status":"ready"}' });

    // A renewed certificate is taken up on SIGHUP, without a restart.
    const oldCa = fs.readFileSync(cert);
    const renewed = selfSignedCertificate(fs.mkdtempSync(path.join(dir, 'renewed-')));
    fs.copyFileSync(renewed.cert, cert);
    fs.copyFileSync(renewed.key, key);
    server.kill('SIGHUP');
    await expect.poll(() => httpsGet(`https://127.0.0.1:${port}/readyz`, fs.readFileSync(cert)).then((r) => r.status, () => 0), { timeout: 5_000 }).toBe(200);
    await expect(httpsGet(`https://127.0.0.1:${port}/readyz`, oldCa)).rejects.toThrow(/self.signed|certificate/i);

    const otherKey = path.join(dir, 'other-key.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', otherKey], { stdio: 'ignore' });
    const refused = spawn(process.execPath, [serverBin], { env: { ...env, PORT: String(await freePort()), PIER_TLS_KEY: otherKey }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    refused.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => refused.once('exit', resolve))).toBe(2);
    expect(stderr).toContain('PIER_TLS_CERT/PIER_TLS_KEY: not a usable certificate and key in PEM');
  });
});

describe('behind a reverse proxy', () => {
  // The proxy is this test, on loopback; failed exchanges are throttled per client address.
  const ctx = useListeningServer('sqlite', { env: { PIER_TRUST_PROXY: '127.0.0.1', PIER_EXCHANGE_FAILURES_PER_MINUTE: '2' } });

  it('throttles the client the trusted proxy names, not the proxy itself', async () => {
    const valid = await createApiToken(ctx.server, ADMIN_EMAIL, 'proxied');
    const exchange = (token: string, client: string) =>
      request(`${ctx.server.url}/oauth2/token`, { headers: { ...cliClient, 'x-forwarded-for': client }, form: { grant_type: 'api_token', api_token: token } });
    const wrong = `${valid.slice(0, -4)}zzzz`;
    for (let i = 0; i < 2; i++) expect((await exchange(wrong, '203.0.113.7')).status).toBe(400);
    expect((await exchange(valid, '203.0.113.7')).status).toBe(429);
    expect((await exchange(valid, '203.0.113.8')).status).toBe(200);
  });
});

describe('without a trusted proxy', () => {
  const ctx = useListeningServer('sqlite', { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '2' } });

  it('ignores X-Forwarded-For, which any client could send', async () => {
    const valid = await createApiToken(ctx.server, ADMIN_EMAIL, 'direct');
    const exchange = (token: string, client: string) =>
      request(`${ctx.server.url}/oauth2/token`, { headers: { ...cliClient, 'x-forwarded-for': client }, form: { grant_type: 'api_token', api_token: token } });
    for (let i = 0; i < 2; i++) await exchange(`${valid.slice(0, -4)}zzzz`, `198.51.100.${i}`);
    expect((await exchange(valid, '198.51.100.99')).status).toBe(429);
  });
});
