import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createApiToken } from '../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../test-support/in-process.js';
import { rawRequest } from '../../../test-support/api-client.js';
import { bearer, cliClient } from '../../../test-support/http.js';

describe('logs never contain secrets', () => {
  const ctx = useInProcessServer('sqlite', { env: { PIER_LOG_LEVEL: 'trace' } });

  it('keeps every token, password, cookie and key out of the server output', async () => {
    const secrets: Record<string, string> = { adminPassword: ADMIN_PASSWORD };
    secrets.bootstrapToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'bootstrap');

    const exchanged = await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: secrets.bootstrapToken } });
    secrets.accessToken = String(exchanged.body.access_token);
    const created = await rawRequest(ctx.server, '/users/me/api-tokens', { headers: bearer(secrets.accessToken), json: { name: 'logged?' } });
    secrets.createdToken = String(created.body.token);

    const login = await rawRequest(ctx.server, '/auth/login', { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    secrets.sessionCookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!.split('=')[1]!;
    secrets.csrfToken = String(login.body.csrf_token);
    await rawRequest(ctx.server, '/users/me/api-tokens', { headers: { cookie: `pier_session=${secrets.sessionCookie}`, 'x-csrf-token': secrets.csrfToken }, json: { name: 'via console' } });

    // Failures and odd places a secret could travel: wrong token, token in a query string, a revoke.
    secrets.wrongToken = `${secrets.createdToken.slice(0, -3)}xyz`;
    await rawRequest(ctx.server, '/oauth2/token', { headers: cliClient, form: { grant_type: 'api_token', api_token: secrets.wrongToken } });
    await rawRequest(ctx.server, `/users/me?access_token=${secrets.accessToken}`);
    await rawRequest(ctx.server, '/auth/login', { json: { email: ADMIN_EMAIL, password: 'wrong-password-123' } });
    secrets.wrongPassword = 'wrong-password-123';
    await rawRequest(ctx.server, '/oauth2/revoke', { headers: cliClient, form: { token: secrets.createdToken } });
    secrets.instanceSecret = fs.readFileSync(path.join(ctx.server.dataDir, 'instance-secret'), 'utf8').trim();

    await new Promise((resolve) => setTimeout(resolve, 200));
    const output = ctx.server.output();
    expect(output).toContain('"url":"/oauth2/token"');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(output.includes(secret), `${name} leaked into the logs`).toBe(false);
    }
  });
});
