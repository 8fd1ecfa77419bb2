import { describe, expect, it } from 'vitest';
import { StoredCredentials } from '../../lib/stored-credentials.js';
import { HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

const noToken = { PIER_CLI_TOKEN: undefined };
// {"sub":"user-7","api_token_id":"tok-7","exp":4102444800}
const accessToken = `e30.${Buffer.from(JSON.stringify({ sub: 'user-7', api_token_id: 'tok-7', exp: 4102444800 })).toString('base64url')}.`;

function exchange(http: HttpMock, answer: Parameters<HttpMock['on']>[2]): HttpMock {
  return http.on('POST', '/oauth2/token', answer);
}

describe('auth:api-token-login', () => {
  it('reads the token from standard input, checks it, and stores it', async () => {
    const http = exchange(new HttpMock(), json(200, { access_token: accessToken, token_type: 'bearer', expires_in: 900 }))
      .on('GET', '/users/me', json(200, { id: 'user-7', username: 'alice', email: 'alice@example.com' }));
    const run = await runCommand(['auth:api-token-login'], { http, env: noToken, input: '\n  pier_good_token \n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('\nThe API token is valid.\nYou are logged in.\n\nUsername: alice\nEmail address: alice@example.com\n');
    expect(new StoredCredentials(run.home).read()).toBe('pier_good_token');
    const [tokenRequest, meRequest] = http.requests;
    expect(tokenRequest?.body).toEqual({ grant_type: 'api_token', api_token: 'pier_good_token', scope: '' });
    expect(tokenRequest?.headers.get('authorization')).toBe(`Basic ${Buffer.from('pier-cli:').toString('base64')}`);
    expect(meRequest?.headers.get('authorization')).toBe(`Bearer ${accessToken}`);
    http.verify();
  });

  it('rejects an invalid token with exit 3 and stores nothing', async () => {
    const http = exchange(new HttpMock(), json(400, { error: 'invalid_grant', error_description: 'Invalid API token' }));
    const run = await runCommand(['auth:api-token-login'], { http, env: noToken, input: 'pier_bad_token\n' });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('The API token is invalid.\n\nCheck the token, or create a new one in the console.\n');
    expect(new StoredCredentials(run.home).read()).toBeUndefined();
    http.verify();
  });

  it('says why a known token was refused (an address binding)', async () => {
    const http = exchange(new HttpMock(), json(400, { error: 'invalid_grant', error_description: 'The API token is not accepted from 192.0.2.9' }));
    const run = await runCommand(['auth:api-token-login'], { http, env: noToken, input: 'pier_bound_token\n' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('The API token was refused: The API token is not accepted from 192.0.2.9');
  });

  it('refuses while PIER_CLI_TOKEN is set, before reading anything', async () => {
    const run = await runCommand(['auth:api-token-login'], { env: { PIER_CLI_TOKEN: 'pier_env_token' }, input: 'pier_other\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('An API token is already set via the PIER_CLI_TOKEN environment variable.');
    expect(run.http.requests).toEqual([]);
  });

  it('without interaction on a terminal, or with nothing piped in, says how to give the token', async () => {
    const onTerminal = await runCommand(['auth:api-token-login', '--no-interaction'], { env: noToken, tty: true });
    expect(onTerminal.code).toBe(1);
    expect(onTerminal.stderr).toContain('Non-interactive use of this command needs the token on standard input:\n    pier auth:api-token-login < token.txt');

    const nothing = await runCommand(['auth:api-token-login'], { env: noToken, input: '\n\n' });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('No API token was given on standard input.');
    expect(nothing.http.requests).toEqual([]);
  });
});
