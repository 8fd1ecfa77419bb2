import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createApiToken, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer, type InProcessServer } from '../../../../test-support/in-process.js';
import { apiAs, rawRequest } from '../../../../test-support/api-client.js';
import { exchangeInProcess } from '../../../../test-support/in-process-actors.js';
import { bearer, cliClient } from '../../../../test-support/http.js';
import { DEFAULT_PASSWORD_HASH_COST } from '../users/passwords.js';

const login = (server: InProcessServer, body: { email: string; password: string }, headers: Record<string, string> = {}) =>
  apiAs(server, headers).POST('/auth/login', { body });
const bearerOf = async (server: InProcessServer, name: string) => bearer(await exchangeInProcess(server, await createApiToken(server, ADMIN_EMAIL, name)));

// A limit of 5 keeps the scrypt work of the burst small on a busy machine; the race is the same.
describe.each(databaseKinds())('failure throttles count an attempt before checking it (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '5' } });

  it('checks at most the limit of a parallel burst of wrong passwords', async () => {
    const burst = await Promise.all(Array.from({ length: 60 }, () => login(ctx.server, { email: ADMIN_EMAIL, password: 'wrong password' })));
    const checked = burst.filter((r) => r.response.status === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(burst.filter((r) => r.response.status === 429)).toHaveLength(60 - checked);
    expect(burst.find((r) => r.response.status === 429)?.error).toMatchObject({ error: 'rate_limited' });
  }, 60_000);

  it('checks at most the limit of a parallel burst of unusable API tokens', async () => {
    const api = apiAs(ctx.server, await bearerOf(ctx.server, 'setup'));
    const created = (await api.POST('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } }, body: { name: 'revoked' } })).data!;
    await api.DELETE('/users/{user_id}/api-tokens/{token_id}', { params: { path: { user_id: 'me', token_id: created.id } } });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const burst = await Promise.all(
      Array.from({ length: 60 }, () =>
        apiAs(ctx.server, { ...cliClient, ...form }).POST('/oauth2/token', { body: { grant_type: 'api_token', api_token: created.token! } }),
      ),
    );
    const checked = burst.filter((r) => r.response.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    for (const response of checked) expect(response.error).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('login timing does not tell which e-mail addresses have accounts', () => {
  // At the real hash cost: the test servers' cheap hashes (TEST_PASSWORD_HASH_COST) take about as
  // long as the rest of a login, which would hide the gap this test is about in the noise.
  const ctx = useInProcessServer('sqlite', { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '1000', PIER_PASSWORD_HASH_COST: String(DEFAULT_PASSWORD_HASH_COST) } });

  async function medianMs(email: string): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await login(ctx.server, { email, password: 'wrong password' })).response.status).toBe(401);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[2]!;
  }

  it('takes as long for an unknown address as for a wrong password', async () => {
    await login(ctx.server, { email: 'warm-up@example.com', password: 'wrong password' });
    const known = await medianMs(ADMIN_EMAIL);
    const unknown = await medianMs('nobody-here@example.com');
    // Both hash a password; the gap used to be 4.6 ms against 337 ms.
    expect(unknown).toBeGreaterThan(known * 0.5);
  }, 60_000);
});

describe('cookie-setting routes refuse cross-site and form-encoded requests', () => {
  const ctx = useInProcessServer('sqlite');
  const credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD };

  it('accepts a JSON login from its own origin only', async () => {
    // Outside the contract (it takes JSON only): sent raw.
    const form = await rawRequest(ctx.server, '/auth/login', { form: credentials });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ error: 'unsupported_media_type' });
    expect(form.headers.get('set-cookie')).toBeNull();

    const crossSite: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
    for (const headers of crossSite) {
      const refused = await login(ctx.server, credentials, headers);
      expect(refused.response.status, JSON.stringify(headers)).toBe(403);
      expect(refused.error).toMatchObject({ error: 'forbidden' });
      expect(refused.response.headers.get('set-cookie')).toBeNull();
    }
    const sameOrigin = await login(ctx.server, credentials, { origin: ctx.server.url, 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.response.status).toBe(200);
    expect(sameOrigin.response.headers.get('set-cookie')).toMatch(/^pier_session=/);
    // Command-line clients send neither header.
    expect((await login(ctx.server, credentials)).response.status).toBe(200);
  });

  it('refuses invitation acceptance from another site', async () => {
    const refused = await apiAs(ctx.server, { origin: 'https://evil.example' }).POST('/invitations/{token}/accept', {
      params: { path: { token: 'some-token' } },
      body: { password: 'a long enough password' },
    });
    expect(refused.response.status).toBe(403);
  });

  it('logs out only with the session’s CSRF token', async () => {
    const session = await login(ctx.server, credentials);
    const cookie = (session.response.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = session.data!.csrf_token;
    const wrong = await apiAs(ctx.server, { cookie, 'x-csrf-token': 'x'.repeat(csrf.length) }).POST('/auth/logout');
    expect(wrong.response.status).toBe(403);
    const right = await apiAs(ctx.server, { cookie, 'x-csrf-token': csrf }).POST('/auth/logout');
    expect(right.response.status).toBe(204);
    expect((await apiAs(ctx.server, { cookie }).GET('/auth/session')).response.status).toBe(401);
  });
});

describe.each([
  ['1', '198.51.100.7'],
  ['127.0.0.1', '198.51.100.7'],
  ['10.9.9.9', '127.0.0.1'],
])('PIER_TRUST_PROXY=%s', (setting, expected) => {
  const ctx = useInProcessServer('sqlite', { env: { PIER_TRUST_PROXY: setting } });

  it(`records ${expected} as the client: the trusted proxy's view, never what the client wrote`, async () => {
    const auth = await bearerOf(ctx.server, 'proxied');
    // The client forged the first entry; the proxy appended the address it saw.
    const proxied = apiAs(ctx.server, { ...auth, 'x-forwarded-for': '203.0.113.66, 198.51.100.7' });
    expect((await proxied.POST('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } }, body: { name: 'behind-proxy' } })).response.status).toBe(201);
    const audit = await apiAs(ctx.server, auth).GET('/users/me/audit', { params: { query: { count: 1 } } });
    expect(audit.data![0]).toMatchObject({ action: 'api_token.create', actor: { client_ip: expected } });
  });
});
