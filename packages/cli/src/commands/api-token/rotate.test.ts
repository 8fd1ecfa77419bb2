import { describe, expect, it } from 'vitest';
import { HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

// token-1 is the token the test run is logged in with (testing/run-command.ts).
const tokens = [
  { id: 'token-1', name: 'laptop' },
  { id: 'tok-2', name: 'ci' },
];

function rotation(tokenId: string, previousUntil: string | null): HttpMock {
  const name = tokens.find((token) => token.id === tokenId)?.name;
  return new HttpMock()
    .on('GET', '/users/me/api-tokens', json(200, tokens))
    .on('POST', `/users/me/api-tokens/${tokenId}/rotate`, json(200, { id: tokenId, name, token: 'pier_new_secret', previous_secret_expires_at: previousUntil }));
}

describe('api-token:rotate', () => {
  it('finds the token by name, asks, and prints only the new secret on stdout', async () => {
    const http = rotation('tok-2', '2026-01-01T01:00:00Z');
    const run = await runCommand(['api-token:rotate', 'ci', '--overlap', '1h', '--yes'], { http });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('pier_new_secret\n');
    expect(run.stderr).toContain('Rotate the API token "ci" (tok-2)? The old secret keeps working for 1h. [Y/n] y');
    expect(run.stderr).toContain('The old secret works until 2026-01-01T01:00:00Z.');
    expect(http.requests.at(-1)?.body).toEqual({ overlap_seconds: 3600 });
    http.verify();
  });

  it('stops with "Cancelled." when the question is answered no', async () => {
    const http = new HttpMock().on('GET', '/users/me/api-tokens', json(200, tokens));
    const run = await runCommand(['api-token:rotate', 'ci'], { http, tty: true, input: 'no\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The old secret stops working now. [Y/n] ');
    expect(run.stderr).toContain('Cancelled.');
    http.verify();
  });

  it('warns when it rotates the token the CLI itself is using, with no overlap', async () => {
    const http = rotation('token-1', null);
    const run = await runCommand(['api-token:rotate', 'token-1', '--no-interaction'], { http });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('The old secret no longer works.');
    expect(run.stderr).toContain('This is the token the CLI is using: log in again with the new secret.');
    http.verify();
  });

  it('names a token that does not exist, and a bad overlap before any request', async () => {
    const http = new HttpMock().on('GET', '/users/me/api-tokens', json(200, tokens));
    const missing = await runCommand(['api-token:rotate', 'nope', '--yes'], { http });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('API token not found: nope');
    http.verify();

    const badOverlap = await runCommand(['api-token:rotate', 'ci', '--overlap', 'soon', '--yes']);
    expect(badOverlap.code).toBe(1);
    expect(badOverlap.http.requests).toEqual([]);
  });
});
