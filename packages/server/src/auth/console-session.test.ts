import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';

describe('console login session', () => {
  const ctx = useInProcessServer('sqlite');

  async function login() {
    const response = await rawRequest(ctx.server, '/auth/login', { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0] ?? '';
    return { setCookie, cookie, csrf: String(response.body.csrf_token) };
  }

  it('sets an HttpOnly, SameSite=Strict cookie that authenticates API reads', async () => {
    const { setCookie, cookie } = await login();
    expect(setCookie).toMatch(/^pier_session=[\w-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const me = await rawRequest(ctx.server, '/users/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(ADMIN_EMAIL);
  });

  it('requires the CSRF token for state-changing requests made with the cookie', async () => {
    const { cookie, csrf } = await login();
    const url = '/users/me/api-tokens';
    const withoutCsrf = await rawRequest(ctx.server, url, { headers: { cookie }, json: { name: 'console-made' } });
    expect(withoutCsrf.status).toBe(403);
    expect(withoutCsrf.body).toMatchObject({ error: 'forbidden', detail: { header: 'x-csrf-token' } });
    const wrongCsrf = await rawRequest(ctx.server, url, { headers: { cookie, 'x-csrf-token': 'guess' }, json: { name: 'console-made' } });
    expect(wrongCsrf.status).toBe(403);
    const withCsrf = await rawRequest(ctx.server, url, { headers: { cookie, 'x-csrf-token': csrf }, json: { name: 'console-made' } });
    expect(withCsrf.status).toBe(201);
  });

  it('refuses wrong passwords with one message for unknown users and wrong passwords alike', async () => {
    const wrong = await rawRequest(ctx.server, '/auth/login', { json: { email: ADMIN_EMAIL, password: 'nope' } });
    const unknown = await rawRequest(ctx.server, '/auth/login', { json: { email: 'ghost@example.com', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('logs out: the session stops working', async () => {
    const { cookie, csrf } = await login();
    expect((await rawRequest(ctx.server, '/auth/session', { headers: { cookie } })).status).toBe(200);
    const out = await rawRequest(ctx.server, '/auth/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect((await rawRequest(ctx.server, '/users/me', { headers: { cookie } })).status).toBe(401);
    expect((await rawRequest(ctx.server, '/auth/session', { headers: { cookie } })).status).toBe(401);
  });
});
