import { describe, expect, it } from 'vitest';
import { apiError, HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

const created = { id: 'tok-9', name: 'ci', token: 'pier_secret_value', expires_at: null, scope: null, allowed_ips: null };

describe('api-token:create', () => {
  it('prints the token alone on stdout, everything else on stderr', async () => {
    const http = new HttpMock().on('POST', '/users/me/api-tokens', json(201, created));
    const run = await runCommand(['api-token:create', '--name', 'ci'], { http });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('pier_secret_value\n');
    expect(run.stderr).toBe('Created the API token "ci" (tok-9), with no expiry.\nStore it safely now: it will not be shown again.\n');
    expect(http.requests[0]?.body).toEqual({ name: 'ci' });
    http.verify();
  });

  it('sends the scope and the addresses, split at commas', async () => {
    const limited = { ...created, scope: [{ project_id: 'p1', permissions: ['viewer'] }], allowed_ips: ['10.0.0.0/8', '192.0.2.1/32'] };
    const http = new HttpMock().on('POST', '/users/me/api-tokens', json(201, limited));
    const run = await runCommand(['api-token:create', '--name', 'ci', '--scope', 'p1:viewer', '--allowed-ip', '10.0.0.0/8, 192.0.2.1/32'], { http });
    expect(run.code).toBe(0);
    expect(http.requests[0]?.body).toMatchObject({ allowed_ips: ['10.0.0.0/8', '192.0.2.1/32'], scope: [{ project_id: 'p1' }] });
    expect(run.stderr).toContain('  Limited to project p1: viewer\n  Accepted only from: 10.0.0.0/8, 192.0.2.1/32');
  });

  it('turns --expires-in and a duration into a date from now', async () => {
    const http = new HttpMock().on('POST', '/users/me/api-tokens', json(201, { ...created, expires_at: '2027-01-01T00:00:00.000Z' }));
    const before = Date.now();
    const run = await runCommand(['api-token:create', '--name', 'ci', '--expires-in', '2d'], { http });
    expect(run.code).toBe(0);
    const expiresAt = Date.parse((http.requests[0]?.body as { expires_at: string }).expires_at);
    expect(expiresAt - before).toBeGreaterThanOrEqual(2 * 86_400_000 - 1000);
    expect(expiresAt - before).toBeLessThan(2 * 86_400_000 + 60_000);
    expect(run.stderr).toContain('expiring 2027-01-01T00:00:00.000Z');
  });

  it.each([
    [['--expires', '30d', '--expires-in', '30d'], 'Use --expires or --expires-in, not both.'],
    [['--expires', 'tomorrow'], "Invalid value for '--expires': tomorrow. Use a duration"],
    [['--expires', '2001-01-01'], "Invalid value for '--expires': 2001-01-01 is in the past."],
    [[], "error: required option '--name <name>' not specified"],
  ])('refuses %j before any request (exit 1)', async (extra, message) => {
    const args = extra.length ? ['--name', 'ci', ...extra] : [];
    const run = await runCommand(['api-token:create', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.http.requests).toEqual([]);
  });

  it('shows the server refusal (a date past the maximum lifetime)', async () => {
    const http = new HttpMock().on('POST', '/users/me/api-tokens', apiError(400, 'invalid_request', 'expires_at is beyond the maximum lifetime (90 days)'));
    const run = await runCommand(['api-token:create', '--name', 'ci', '--expires', '2099-01-01'], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('expires_at is beyond the maximum lifetime (90 days) (HTTP 400 from /users/me/api-tokens)');
    expect(run.stdout).toBe('');
  });
});
