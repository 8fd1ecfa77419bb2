import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { serverBin } from '../../../test-support/pier-server.js';

describe('configuration', () => {
  it('has working defaults: embedded database in ./.pier-data, port 8080, the pier vendor', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, vendor: 'pier', databaseUrl: undefined, publicUrl: 'http://127.0.0.1:8080', jwtAlgorithm: 'ES256' });
    expect(config.dataDir).toMatch(/\.pier-data$/);
  });

  it('explains every bad value at once, without echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', PIER_VENDOR: 'acme', DATABASE_URL: 'mysql://root:hunter2@db/pier', PIER_PUBLIC_URL: 'ftp://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('PIER_VENDOR');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('PIER_PUBLIC_URL');
    expect(message).not.toContain('hunter2');
  });

  it('takes PIER_TRUST_PROXY as a hop count or the proxies’ addresses, never as "trust everyone"', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PIER_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ PIER_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    for (const value of ['true', 'yes', '0', '10.0.0.0/8, not-an-address']) {
      expect(() => loadConfig({ PIER_TRUST_PROXY: value }), value).toThrow(/PIER_TRUST_PROXY.*number of proxies/);
    }
  });

  it('takes PIER_API_TOKEN_MAX_LIFETIME as a duration from 1h to 100 years, unset by default', () => {
    expect(loadConfig({}).apiTokenMaxLifetime).toBeUndefined();
    expect(loadConfig({ PIER_API_TOKEN_MAX_LIFETIME: '90d' }).apiTokenMaxLifetime).toEqual({ text: '90d', seconds: 90 * 86_400 });
    expect(loadConfig({ PIER_API_TOKEN_MAX_LIFETIME: '12h' }).apiTokenMaxLifetime?.seconds).toBe(12 * 3600);
    expect(loadConfig({ PIER_API_TOKEN_MAX_LIFETIME: '1y' }).apiTokenMaxLifetime?.seconds).toBe(365 * 86_400);
    for (const value of ['90', '0d', '30m', '-1d', '90 days', '36501d', '1e3d']) {
      expect(() => loadConfig({ PIER_API_TOKEN_MAX_LIFETIME: value }), value).toThrow(/PIER_API_TOKEN_MAX_LIFETIME.*e\.g\. 90d/);
    }
  });

  it('takes PIER_PASSWORD_HASH_COST from 10 to 17, 15 by default', () => {
    expect(loadConfig({}).passwordHashCost).toBe(15);
    expect(loadConfig({ PIER_PASSWORD_HASH_COST: '17' }).passwordHashCost).toBe(17);
    for (const value of ['9', '18', '20', 'cheap', '12.5']) {
      expect(() => loadConfig({ PIER_PASSWORD_HASH_COST: value }), value).toThrow(/PIER_PASSWORD_HASH_COST/);
    }
  });

  it('makes pier-server exit with status 2 and the message on a bad setting', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [serverBin], { env: { PATH: process.env.PATH, PORT: '99999' } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('PORT');
  });
});
