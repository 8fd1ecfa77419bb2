import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { exchangeInProcess } from '../../../../test-support/in-process-actors.js';
import { bearer, cliClient } from '../../../../test-support/http.js';

// Everything here is outside the contract on purpose, so it is sent raw (bytes and headers as given).

describe('malformed input gets a clear 4xx, never a 500', () => {
  const ctx = useInProcessServer('sqlite');

  it('rejects bad JSON, wrong types, unknown fields and huge bodies on the API', async () => {
    const auth = bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, ADMIN_EMAIL, 'fuzz')));
    const url = '/users/me/api-tokens';
    const json = { ...auth, 'content-type': 'application/json' };
    const cases: Array<[string, { headers: Record<string, string>; body: string }, number, string]> = [
      ['truncated JSON', { headers: json, body: '{"name": ' }, 400, 'invalid_request'],
      ['empty JSON body', { headers: json, body: '' }, 400, 'invalid_request'],
      ['name is a number', { headers: json, body: '{"name": 42}' }, 400, 'invalid_request'],
      ['name is blank', { headers: json, body: '{"name": "   "}' }, 400, 'invalid_request'],
      ['missing name', { headers: json, body: '{}' }, 400, 'invalid_request'],
      ['unknown field', { headers: json, body: '{"name": "a", "admin": true}' }, 400, 'invalid_request'],
      ['expiry not a date', { headers: json, body: '{"name": "a", "expires_at": "tomorrow"}' }, 400, 'invalid_request'],
      ['array body', { headers: json, body: '[1,2]' }, 400, 'invalid_request'],
      ['XML body', { headers: { ...auth, 'content-type': 'application/xml' }, body: '<name>a</name>' }, 415, 'unsupported_media_type'],
      ['text body', { headers: { ...auth, 'content-type': 'text/plain' }, body: 'name=a' }, 400, 'invalid_request'],
      ['2 MiB body', { headers: json, body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) }, 413, 'payload_too_large'],
    ];
    for (const [label, init, status, error] of cases) {
      const response = await rawRequest(ctx.server, url, { method: 'POST', ...init });
      expect(response.status, label).toBe(status);
      expect(response.body, label).toMatchObject({ status: 'error', code: status, error, message: expect.any(String) });
    }
    const listed = await rawRequest<unknown[]>(ctx.server, url, { headers: auth });
    expect(listed.body).toHaveLength(1);
  });

  it('names the field that failed validation', async () => {
    const auth = bearer(await exchangeInProcess(ctx.server, await createApiToken(ctx.server, ADMIN_EMAIL, 'fields')));
    const response = await rawRequest(ctx.server, '/users/me/api-tokens', { headers: auth, json: { name: 7 } });
    expect(response.body).toMatchObject({ detail: { location: 'body', field: 'name' } });
    expect(String(response.body.message)).toContain('name');
  });

  it('keeps the token endpoint OAuth-shaped for bad bodies', async () => {
    const url = '/oauth2/token';
    const huge = await rawRequest(ctx.server, url, { headers: cliClient, form: { grant_type: 'api_token', api_token: 'x'.repeat(200_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: 'invalid_request' });
    const badJson = await rawRequest(ctx.server, url, { method: 'POST', headers: { ...cliClient, 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ error: 'invalid_request' });
    const wrongType = await rawRequest(ctx.server, url, { method: 'POST', headers: { ...cliClient, 'content-type': 'application/json' }, body: '{"grant_type": 5}' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ error: 'invalid_request' });
  });

  it('answers unknown routes and methods with 404 bodies', async () => {
    const response = await rawRequest(ctx.server, '/no/such/route');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'not_found' });
  });
});
