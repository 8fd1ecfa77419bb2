import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createApiToken, databaseKinds, exchange } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { bearer, cliClient, request } from '../../../../test-support/http.js';

const login = (url: string, body: unknown, headers: Record<string, string> = {}) => request(`${url}/auth/login`, { headers, json: body });

// A limit of 5 keeps the scrypt work of the burst small on a busy machine; the race is the same.
describe.each(databaseKinds())('failure throttles count an attempt before checking it (%s)', (kind) => {
  const ctx = usePierServer(kind, { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '5' } });

  it('checks at most the limit of a parallel burst of wrong passwords', async () => {
    const burst = await Promise.all(Array.from({ length: 60 }, () => login(ctx.server.url, { email: ADMIN_EMAIL, password: 'wrong password' })));
    const checked = burst.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(60 - checked);
    expect(burst.find((r) => r.status === 429)?.body).toMatchObject({ error: 'rate_limited' });
  }, 60_000);

  it('checks at most the limit of a parallel burst of unusable API tokens', async () => {
    const auth = bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, ADMIN_EMAIL, 'setup')));
    const created = await request(`${ctx.server.url}/users/me/api-tokens`, { headers: auth, json: { name: 'revoked' } });
    await request(`${ctx.server.url}/users/me/api-tokens/${String(created.body.id)}`, { method: 'DELETE', headers: auth });
    const burst = await Promise.all(
      Array.from({ length: 60 }, () => request(`${ctx.server.url}/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: String(created.body.token) } })),
    );
    const checked = burst.filter((r) => r.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    for (const response of checked) expect(response.body).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('login timing does not tell which e-mail addresses have accounts', () => {
  const ctx = usePierServer('sqlite', { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '1000' } });

  async function medianMs(email: string): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await login(ctx.server.url, { email, password: 'wrong password' })).status).toBe(401);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[2]!;
  }

  it('takes as long for an unknown address as for a wrong password', async () => {
    await login(ctx.server.url, { email: 'warm-up@example.com', password: 'wrong password' });
    const known = await medianMs(ADMIN_EMAIL);
    const unknown = await medianMs('nobody-here@example.com');
    // Both hash a password; the gap used to be 4.6 ms against 337 ms.
    expect(unknown).toBeGreaterThan(known * 0.5);
  }, 60_000);
});

describe('cookie-setting routes refuse cross-site and form-encoded requests', () => {
  const ctx = usePierServer('sqlite');
  const credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD };

  it('accepts a JSON login from its own origin only', async () => {
    const form = await request(`${ctx.server.url}/auth/login`, { form: credentials });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ error: 'unsupported_media_type' });
    expect(form.headers.get('set-cookie')).toBeNull();

    const crossSite: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
    for (const headers of crossSite) {
      const refused = await login(ctx.server.url, credentials, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(refused.body).toMatchObject({ error: 'forbidden' });
      expect(refused.headers.get('set-cookie')).toBeNull();
    }
    const sameOrigin = await login(ctx.server.url, credentials, { origin: ctx.server.url, 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers.get('set-cookie')).toMatch(/^pier_session=/);
    // Command-line clients send neither header.
    expect((await login(ctx.server.url, credentials)).status).toBe(200);
  });

  it('refuses invitation acceptance from another site', async () => {
    const refused = await request(`${ctx.server.url}/invitations/some-token/accept`, { headers: { origin: 'https://evil.example' }, json: { password: 'a long enough password' } });
    expect(refused.status).toBe(403);
  });

  it('logs out only with the session’s CSRF token', async () => {
    const session = await login(ctx.server.url, credentials);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    const wrong = await request(`${ctx.server.url}/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': 'x'.repeat(String(session.body.csrf_token).length) } });
    expect(wrong.status).toBe(403);
    const right = await request(`${ctx.server.url}/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': String(session.body.csrf_token) } });
    expect(right.status).toBe(204);
    expect((await request(`${ctx.server.url}/auth/session`, { headers: { cookie } })).status).toBe(401);
  });
});

describe.each([
  ['1', '198.51.100.7'],
  ['127.0.0.1', '198.51.100.7'],
  ['10.9.9.9', '127.0.0.1'],
])('PIER_TRUST_PROXY=%s', (setting, expected) => {
  const ctx = usePierServer('sqlite', { env: { PIER_TRUST_PROXY: setting } });

  it(`records ${expected} as the client: the trusted proxy's view, never what the client wrote`, async () => {
    const auth = bearer(await exchange(ctx.server.url, await createApiToken(ctx.server, ADMIN_EMAIL, 'proxied')));
    // The client forged the first entry; the proxy appended the address it saw.
    const headers = { ...auth, 'x-forwarded-for': '203.0.113.66, 198.51.100.7' };
    expect((await request(`${ctx.server.url}/users/me/api-tokens`, { headers, json: { name: 'behind-proxy' } })).status).toBe(201);
    const audit = await request<Array<{ action: string; actor: { client_ip: string } }>>(`${ctx.server.url}/users/me/audit?count=1`, { headers: auth });
    expect(audit.body[0]).toMatchObject({ action: 'api_token.create', actor: { client_ip: expected } });
  });
});
