import { describe, expect, it } from 'vitest';
import { HttpMock, json } from '../../testing/httpmock.js';
import { API_URL, runCommand } from '../../testing/run-command.js';

describe('trust-policy:create', () => {
  // Moved here from e2e/keyless-ci.test.ts: the CLI refuses these before asking the server.
  it.each([
    [[], 'At least one --condition is required, e.g. --condition repository=acme/app'],
    [['--condition', 'repository'], 'Conditions must be given as claim=value: repository'],
    [['--condition', '=acme/app'], 'Conditions must be given as claim=value: =acme/app'],
  ])('refuses %j before any request (exit 1)', async (extra, message) => {
    const run = await runCommand(['trust-policy:create', '--name', 'x', '--issuer', 'github', ...extra]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.http.requests).toEqual([]);
  });

  it('expands the issuer shorthand, defaults the audience to the API URL, and prints the id on stdout', async () => {
    const created = { id: 'tp-1', name: 'gha', issuer: 'https://token.actions.githubusercontent.com', audience: API_URL, conditions: { repository: 'acme/app', ref: 'refs/heads/*' } };
    const http = new HttpMock().on('POST', '/users/me/trust-policies', json(201, created));
    const run = await runCommand(['trust-policy:create', '--name', 'gha', '--issuer', 'github', '--condition', 'repository=acme/app', '--condition', 'ref=refs/heads/*'], { http });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('tp-1\n');
    expect(http.requests[0]?.body).toEqual({ name: 'gha', issuer: 'https://token.actions.githubusercontent.com', audience: API_URL, conditions: { repository: 'acme/app', ref: 'refs/heads/*' } });
    expect(run.stderr).toContain('Created the trust policy "gha" (tp-1).');
    http.verify();
  });
});
