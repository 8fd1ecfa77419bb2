import { describe, expect, it } from 'vitest';
import { apiError, empty, HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

// token-1 is the token the test run is logged in with (testing/run-command.ts).
const tokens = [
  { id: 'token-1', name: 'laptop' },
  { id: 'tok-2', name: 'ci' },
];

describe('api-token:delete', () => {
  it('deletes by name after confirmation; ids win over names', async () => {
    const http = new HttpMock().on('GET', '/users/me/api-tokens', json(200, [...tokens, { id: 'x', name: 'tok-2' }])).on('DELETE', '/users/me/api-tokens/tok-2', empty());
    const run = await runCommand(['api-token:delete', 'tok-2'], { http, tty: true, input: 'y\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Are you sure you want to delete the API token "ci" (tok-2)? [Y/n] ');
    expect(run.stderr).toContain('The API token "ci" was deleted.');
    expect(run.stderr).not.toContain('the CLI is using');
    http.verify();
  });

  it('is api-token:revoke too; non-interactively the default (yes) applies', async () => {
    const http = new HttpMock().on('GET', '/users/me/api-tokens', json(200, tokens)).on('DELETE', '/users/me/api-tokens/tok-2', empty());
    const run = await runCommand(['api-token:revoke', 'ci'], { http });
    expect(run.code).toBe(0);
    http.verify();
  });

  it('stops with "Cancelled." when the question is answered no', async () => {
    const http = new HttpMock().on('GET', '/users/me/api-tokens', json(200, tokens));
    const run = await runCommand(['api-token:delete', 'ci'], { http, tty: true, input: 'n\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cancelled.');
    http.verify();
  });

  it('warns when the deleted token is the one in use', async () => {
    const http = new HttpMock().on('GET', '/users/me/api-tokens', json(200, tokens)).on('DELETE', '/users/me/api-tokens/token-1', empty());
    const run = await runCommand(['api-token:delete', 'laptop', '--yes'], { http });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('This was the token the CLI is using: it no longer works.');
    http.verify();
  });

  it('names a missing token; a refusal by the server is exit 6', async () => {
    const missing = await runCommand(['api-token:delete', 'nope', '--yes'], { http: new HttpMock().on('GET', '/users/me/api-tokens', json(200, tokens)) });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('API token not found: nope');

    const http = new HttpMock()
      .on('GET', '/users/me/api-tokens', json(200, tokens))
      .on('DELETE', '/users/me/api-tokens/tok-2', apiError(403, 'forbidden', 'A scoped token may only delete itself'));
    const refused = await runCommand(['api-token:delete', 'ci', '--yes'], { http });
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('Permission denied: A scoped token may only delete itself');
    http.verify();
  });
});
