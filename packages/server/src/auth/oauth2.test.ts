import { createRemoteJWKSet, customFetch, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs, rawRequest } from '../../../../test-support/api-client.js';
import { bearer, cliClient } from '../../../../test-support/http.js';

const invalidApiToken = { error: 'invalid_grant', error_description: 'Invalid API token' };
/** The path parameters of the caller's own resources. */
const ownPath = { params: { path: { user_id: 'me' } } };

describe.each(databaseKinds())('OAuth2 token endpoint (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '1000' } });

  it('exchanges an API token for a signed, short-lived JWT', async () => {
    const apiToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'exchange');
    const response = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: apiToken } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
    const accessToken = String(response.body.access_token);

    // jose fetches the key set by URL; here through the in-process server.
    const jwks = createRemoteJWKSet(new URL(`${ctx.server.url}/oauth2/jwks`), { [customFetch]: (url, init) => ctx.server.fetch(new Request(url, init)) });
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, { issuer: ctx.server.url, audience: ctx.server.url });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const me = await rawRequest(ctx.server, `/users/me`, { headers: bearer(accessToken) });
    expect(payload).toMatchObject({ sub: me.body.id, amr: ['api_token'], client_id: 'pier-cli' });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    const tokens = (await apiAs(ctx.server, bearer(accessToken)).GET('/users/{user_id}/api-tokens', ownPath)).data!;
    expect(payload.api_token_id).toBe(tokens.find((t) => t.name === 'exchange')?.id);
  });

  it('takes the client id from a Basic header or from the body, and refuses unknown or conflicting clients', async () => {
    const apiToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'clients');
    const form = { grant_type: 'api_token', api_token: apiToken };
    expect((await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form })).status).toBe(200);
    expect((await rawRequest(ctx.server, '/oauth2/token', { form: { ...form, client_id: 'pier-cli' } })).status).toBe(200);
    const withSecret = { authorization: `Basic ${Buffer.from('pier-cli:anything').toString('base64')}` };
    expect((await rawRequest(ctx.server, '/oauth2/token', { headers: withSecret, form })).status).toBe(200);

    const none = await rawRequest(ctx.server, '/oauth2/token', { form });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'invalid_client' });
    const unknown = await rawRequest(ctx.server, '/oauth2/token', { form: { ...form, client_id: 'someone-else' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: 'invalid_client' });
    const conflicting = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { ...form, client_id: 'pier-console' } });
    expect(conflicting.status).toBe(400);
    expect(conflicting.body).toMatchObject({ error: 'invalid_request' });
  });

  it('answers wrong, malformed, expired and revoked API tokens with the exact Platform.sh error', async () => {
    const realToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'soon-revoked');
    const lastChar = realToken.at(-1) === 'a' ? 'b' : 'a';
    const attempts = {
      wellFormedButUnknown: `pier_${'A'.repeat(43)}000000`,
      checksumTypo: `${realToken.slice(0, -1)}${lastChar}`,
      malformed: 'not-a-token',
      empty: ' ',
    };
    for (const [label, apiToken] of Object.entries(attempts)) {
      const response = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: apiToken } });
      expect(response.status, label).toBe(400);
      expect(response.body, label).toEqual(apiToken.trim() ? invalidApiToken : { error: 'invalid_request', error_description: 'The api_token parameter is missing.' });
    }

    const access = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: realToken } });
    const auth = bearer(String(access.body.access_token));
    const list = (await apiAs(ctx.server, auth).GET('/users/{user_id}/api-tokens', ownPath)).data!;
    const id = list.find((t) => t.name === 'soon-revoked')?.id;
    await rawRequest(ctx.server, `/users/me/api-tokens/${id}`, { method: 'DELETE', headers: auth });
    const revoked = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: realToken } });
    expect(revoked.status).toBe(400);
    expect(revoked.body).toEqual(invalidApiToken);
  });

  it('caps the access token at the API token expiry and refuses both once expired', async () => {
    const admin = bearer(await exchangeOk(await createApiToken(ctx.server, ADMIN_EMAIL, 'expiry-admin')));
    const expiresAt = new Date(Date.now() + 2_500).toISOString();
    const created = await rawRequest(ctx.server, `/users/me/api-tokens`, { headers: admin, json: { name: 'expiring', expires_at: expiresAt } });
    const exchanged = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: String(created.body.token) } });
    expect(exchanged.status).toBe(200);
    expect(Number(exchanged.body.expires_in)).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    const later = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: String(created.body.token) } });
    expect(later.body).toEqual(invalidApiToken);
    const me = await rawRequest(ctx.server, `/users/me`, { headers: bearer(String(exchanged.body.access_token)) });
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ error: 'invalid_token', message: 'The access token has expired.' });
  });

  it('follows RFC 6749 for other mistakes', async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ api_token: 'x' }, 400, 'invalid_request'],
      [{ grant_type: 'password', username: 'a', password: 'b' }, 400, 'unsupported_grant_type'],
      [{ grant_type: 'client_credentials' }, 400, 'unsupported_grant_type'],
      [{ grant_type: 'api_token' }, 400, 'invalid_request'],
    ];
    for (const [form, status, error] of cases) {
      const response = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form });
      expect(response.status, JSON.stringify(form)).toBe(status);
      expect(response.body, JSON.stringify(form)).toMatchObject({ error, error_description: expect.any(String) });
    }
    const json = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, body: '{"grant_type":', method: 'POST' });
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
  });

  it('revokes a single access token (RFC 7009) and ignores unknown ones', async () => {
    const accessToken = await exchangeOk(await createApiToken(ctx.server, ADMIN_EMAIL, 'revoke-access'));
    expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(accessToken) })).status).toBe(200);
    const revoke = await rawRequest(ctx.server, `/oauth2/revoke`, { headers: cliClient, form: { token: accessToken, token_type_hint: 'access_token' } });
    expect(revoke.status).toBe(200);
    expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(accessToken) })).status).toBe(401);
    const unknown = await rawRequest(ctx.server, `/oauth2/revoke`, { headers: cliClient, form: { token: 'nonsense' } });
    expect(unknown.status).toBe(200);
  });

  it('records revocations through the token endpoint in the audit trail, by name, never the token', async () => {
    const auditor = bearer(await exchangeOk(await createApiToken(ctx.server, ADMIN_EMAIL, 'auditor')));
    const apiToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'revoked-by-rfc7009');
    const accessToken = await exchangeOk(await createApiToken(ctx.server, ADMIN_EMAIL, 'access-revoked-by-rfc7009'));
    for (const token of [apiToken, accessToken]) {
      expect((await rawRequest(ctx.server, `/oauth2/revoke`, { headers: cliClient, form: { token } })).status).toBe(200);
    }
    const trail = (await apiAs(ctx.server, auditor).GET('/users/me/audit', { params: { query: { count: 2 } } })).data!;
    expect(trail.map((entry) => [entry.action, entry.details.name])).toEqual([
      ['access_token.revoke', 'access-revoked-by-rfc7009'],
      ['api_token.revoke', 'revoked-by-rfc7009'],
    ]);
    for (const token of [apiToken, accessToken]) expect(JSON.stringify(trail)).not.toContain(token);
  });

  it('hands out the same fresh access token for repeated exchanges, until it is revoked', async () => {
    const apiToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'reuse');
    const first = await exchangeOk(apiToken);
    const second = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: apiToken } });
    expect(second.body.access_token).toBe(first);
    expect(Number(second.body.expires_in)).toBeGreaterThan(890);
    expect(Number(second.body.expires_in)).toBeLessThanOrEqual(900);

    await rawRequest(ctx.server, `/oauth2/revoke`, { headers: cliClient, form: { token: first } });
    const afterRevoke = await exchangeOk(apiToken);
    expect(afterRevoke).not.toBe(first);
    expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(afterRevoke) })).status).toBe(200);

    await rawRequest(ctx.server, `/oauth2/revoke`, { headers: cliClient, form: { token: apiToken } });
    const afterDelete = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: apiToken } });
    expect(afterDelete.body).toEqual(invalidApiToken);
    expect((await rawRequest(ctx.server, `/users/me`, { headers: bearer(afterRevoke) })).status).toBe(401);
  });

  it('publishes its public keys without private parts', async () => {
    const jwks = await apiAs(ctx.server).GET('/oauth2/jwks');
    expect(jwks.response.status).toBe(200);
    const keys = jwks.data!.keys;
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kid: expect.any(String), use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
    const token = await exchangeOk(await createApiToken(ctx.server, ADMIN_EMAIL, 'jwks'));
    expect(keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
  });

  async function exchangeOk(apiToken: string): Promise<string> {
    const response = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: apiToken } });
    expect(response.status).toBe(200);
    return String(response.body.access_token);
  }
});

describe('access-token reuse can be switched off', () => {
  const ctx = useInProcessServer('sqlite', { env: { PIER_ACCESS_TOKEN_REUSE_SECONDS: '0' } });

  it('mints a new access token for every exchange', async () => {
    const apiToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'no-reuse');
    const form = { grant_type: 'api_token', api_token: apiToken };
    const first = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form });
    const second = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form });
    expect(first.body.access_token).not.toBe(second.body.access_token);
  });
});

describe('valid exchanges from one address are never throttled, however many run at once', () => {
  // Each signs a new token: an exchange waits for its signature after its API token proved valid.
  const ctx = useInProcessServer('sqlite', { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '5', PIER_ACCESS_TOKEN_REUSE_SECONDS: '0' } });

  it('answers 200 to 400 exchanges, 40 at a time, with a limit of 5 failures', async () => {
    const good = await createApiToken(ctx.server, ADMIN_EMAIL, 'fleet');
    const statuses: number[] = [];
    const client = async () => {
      for (let i = 0; i < 10; i++) {
        statuses.push((await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: good } })).status);
      }
    };
    await Promise.all(Array.from({ length: 40 }, client));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 30_000);
});

describe('failed exchanges are rate limited per client address', () => {
  const ctx = useInProcessServer('sqlite', { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '5' } });

  it('answers 429 with Retry-After once the failures run out, and does not count successes', async () => {
    const good = await createApiToken(ctx.server, ADMIN_EMAIL, 'still-works');
    for (let i = 0; i < 10; i++) {
      expect((await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: good } })).status).toBe(200);
    }
    for (let i = 0; i < 5; i++) {
      expect((await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: 'wrong' } })).status).toBe(400);
    }
    const limited = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: good } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ error: 'too_many_requests' });
  });
});
