/**
 * Keyless CI: a local OIDC issuer (real HTTP, which the in-process server fetches) signs id-tokens, a machine user trusts it, and
 * `POST /oauth2/token` (RFC 8693) exchanges them — or says which check refused them.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { ADMIN_EMAIL, createTestDatabase, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { startInProcessServer, useInProcessServer, type InProcessContext, type InProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { bearer, cliClient } from '../../../../test-support/http.js';
import { actorInProcess, createProjectInProcess, grantInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';
import { githubClaims, startLocalIssuer, type LocalIssuer } from '../../../../test-support/oidc-issuer.js';

const AUDIENCE = 'https://pier.example.com';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

function exchangeIdToken(server: InProcessServer, idToken: string, extra: Record<string, string> = {}) {
  return rawRequest<Record<string, string | number>>(server, '/oauth2/token', {
    headers: cliClient,
    form: { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: idToken, subject_token_type: ID_TOKEN_TYPE, ...extra },
  });
}

/** Flips `users.deactivated` as the deactivation feature (another part of issue 15) will. */
async function setDeactivated(ctx: InProcessContext, userId: string): Promise<void> {
  if (ctx.database.kind === 'sqlite') {
    const db = new Database(path.join(ctx.server.dataDir, 'pier.sqlite'));
    db.prepare('UPDATE users SET deactivated = 1 WHERE id = ?').run(userId);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: ctx.database.url });
  await client.connect();
  await client.query('UPDATE users SET deactivated = 1 WHERE id = $1', [userId]);
  await client.end();
}

describe.each(databaseKinds())('keyless CI exchange (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '1000' } });
  let trusted: LocalIssuer;
  let untrusted: LocalIssuer;
  let admin: TestActor;
  let bot: TestActor;
  let projectId: string;
  let policyId: string;

  beforeAll(async () => {
    [trusted, untrusted] = await Promise.all([startLocalIssuer(), startLocalIssuer()]);
    admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    bot = await actorInProcess(ctx.server, 'deploy-bot@example.com');
    projectId = await createProjectInProcess(ctx.server, admin, 'Keyless');
    await grantInProcess(ctx.server, admin, projectId, bot, ['admin']);
    const created = await rawRequest(ctx.server, `/users/me/trust-policies`, {
      headers: bot.headers,
      json: {
        name: 'github-deploy',
        issuer: trusted.url,
        audience: AUDIENCE,
        conditions: { repository: 'acme/app', ref: 'refs/heads/*' },
        scope: [{ project_id: projectId, permissions: ['viewer', 'development:contributor'] }],
      },
    });
    expect(created.status).toBe(201);
    policyId = String(created.body.id);
  }, 60_000);
  afterAll(async () => {
    await trusted?.close();
    await untrusted?.close();
  });

  it('exchanges the right id-token for an access token of the machine user, carrying the policy scope', async () => {
    const idToken = await trusted.sign(githubClaims());
    const response = await exchangeIdToken(ctx.server, idToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({ issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'bearer' });
    expect(Number(response.body.expires_in)).toBeGreaterThan(800);
    const accessToken = String(response.body.access_token);
    const claims = decodeJwt(accessToken);
    expect(claims).toMatchObject({ sub: bot.userId, amr: ['oidc'], trust_policy_id: policyId });
    expect(claims.pier_scope).toEqual([{ project_id: projectId, permissions: ['viewer', 'development:contributor'] }]);
    expect(claims.api_token_id).toBeUndefined();

    const me = await rawRequest(ctx.server, `/users/me`, { headers: bearer(accessToken) });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('deploy-bot@example.com');
    expect((await rawRequest(ctx.server, `/projects/${projectId}`, { headers: bearer(accessToken) })).status).toBe(200);
    // The bot is a project admin, but the policy's scope is the ceiling: no backups of production.
    const backup = await rawRequest(ctx.server, `/projects/${projectId}/environments/main/backup`, { headers: bearer(accessToken), json: {} });
    expect(backup.status).toBe(403);
    expect(backup.body).toMatchObject({ error: 'forbidden', detail: { missing_permission: 'token scope production:viewer' } });
    const check = await rawRequest(ctx.server, `/auth/check?action=environment:push&project=${projectId}&environment=main`, { headers: bearer(accessToken) });
    expect(check.body).toMatchObject({ allowed: false, missing_permission: 'token scope production:contributor', credential: { trust_policy_id: policyId } });
    // A scoped credential cannot widen itself by managing trust policies.
    const manage = await rawRequest(ctx.server, `/users/me/trust-policies`, { headers: bearer(accessToken) });
    expect(manage.status).toBe(403);
    expect(manage.body).toMatchObject({ error: 'forbidden' });

    expect(ctx.server.output()).not.toContain(idToken);
    expect(ctx.server.output()).not.toContain(accessToken);
  });

  it('fetches discovery once and reuses the cached key set', async () => {
    for (const ref of ['refs/heads/main', 'refs/heads/release']) {
      expect((await exchangeIdToken(ctx.server, await trusted.sign(githubClaims({ ref })))).status).toBe(200);
    }
    expect(trusted.requests.filter((p) => p === '/.well-known/openid-configuration')).toHaveLength(1);
    expect(trusted.requests.filter((p) => p === '/.well-known/jwks')).toHaveLength(1);
  });

  it.each([
    ['the wrong repository', () => trusted.sign(githubClaims({ repository: 'evil/app' })), /conditions.*unmet: "repository"/],
    ['a ref outside the glob', () => trusted.sign(githubClaims({ ref: 'refs/tags/v1' })), /unmet: "ref"/],
    ['the wrong audience', () => trusted.sign(githubClaims({ aud: 'https://elsewhere.example.com' })), /audience \(aud\)/],
    ['an expired token', () => trusted.sign(githubClaims(), { expiresIn: -120 }), /expired \(exp\)/],
    ['a token not yet valid', () => trusted.sign(githubClaims({ nbf: Math.floor(Date.now() / 1000) + 600 })), /not valid yet \(nbf\)/],
    ['a bad signature', () => trusted.sign(githubClaims(), { key: 'foreign' }), /signature does not verify/],
    ['a token claiming to be from the trusted issuer, signed elsewhere', () => untrusted.sign(githubClaims({ iss: trusted.url })), /signature does not verify/],
    ['an unsigned token (alg none)', async () => unsigned(githubClaims({ iss: trusted.url })), /algorithm is not allowed/],
    ['a token that is not a JWT', async () => 'not-a-jwt', /not a JWT/],
  ])('refuses %s with invalid_grant saying which check failed', async (_label, makeToken, reason) => {
    const idToken = await makeToken();
    const response = await exchangeIdToken(ctx.server, idToken);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
    expect(String(response.body.error_description)).toMatch(reason);
    expect(JSON.stringify(response.body)).not.toContain(idToken);
  });

  it('refuses an issuer no policy trusts without ever contacting it', async () => {
    const response = await exchangeIdToken(ctx.server, await untrusted.sign(githubClaims()));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_grant' });
    expect(String(response.body.error_description)).toContain('No trust policy trusts');
    expect(untrusted.requests).toEqual([]);
  });

  it('answers malformed requests with invalid_request', async () => {
    const missing = await rawRequest(ctx.server, `/oauth2/token`, {
      headers: cliClient,
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token_type: ID_TOKEN_TYPE },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'invalid_request', error_description: 'The subject_token parameter is missing.' });
    const wrongType = await exchangeIdToken(ctx.server, await trusted.sign(githubClaims()), { subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toBe('invalid_request');
    const jwtType = await exchangeIdToken(ctx.server, await trusted.sign(githubClaims()), { subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' });
    expect(jwtType.status).toBe(200);
  });

  it('refuses when policies of several users match: their conditions overlap', async () => {
    const other = await createUser(ctx.server, 'other-bot@example.com');
    const overlapping = await rawRequest(ctx.server, `/users/${other}/trust-policies`, {
      headers: admin.headers,
      json: { name: 'too-broad', issuer: trusted.url, audience: AUDIENCE, conditions: { repository: 'acme/*' } },
    });
    expect(overlapping.status).toBe(201);
    const refused = await exchangeIdToken(ctx.server, await trusted.sign(githubClaims()));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    expect(String(refused.body.error_description)).toMatch(/several trust policies \(("github-deploy", "too-broad"|"too-broad", "github-deploy")\).*overlap/);
    // Only the broad one matches another repository of the organisation.
    expect((await exchangeIdToken(ctx.server, await trusted.sign(githubClaims({ repository: 'acme/site' })))).status).toBe(200);

    const removed = await rawRequest(ctx.server, `/users/${other}/trust-policies/${String(overlapping.body.id)}`, { method: 'DELETE', headers: admin.headers });
    expect(removed.status).toBe(204);
    expect((await exchangeIdToken(ctx.server, await trusted.sign(githubClaims()))).status).toBe(200);
  });

  it('refuses the id-tokens of a deactivated user', async () => {
    const frozen = await createUser(ctx.server, 'frozen-bot@example.com');
    const created = await rawRequest(ctx.server, `/users/${frozen}/trust-policies`, {
      headers: admin.headers,
      json: { name: 'frozen', issuer: trusted.url, audience: AUDIENCE, conditions: { repository: 'acme/frozen' } },
    });
    expect(created.status).toBe(201);
    const idToken = await trusted.sign(githubClaims({ repository: 'acme/frozen' }));
    expect((await exchangeIdToken(ctx.server, idToken)).status).toBe(200);
    await setDeactivated(ctx, frozen);
    const refused = await exchangeIdToken(ctx.server, idToken);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_description: 'The user of the trust policy "frozen" is deactivated.' });
  });

  it('records the exchange in the audit trail with the identifying claims, never the token', async () => {
    const idToken = await trusted.sign(githubClaims({ run_id: '777', environment: 'staging' }));
    const exchanged = await exchangeIdToken(ctx.server, idToken);
    expect(exchanged.status).toBe(200);
    const accessToken = String(exchanged.body.access_token);
    const audit = await rawRequest<Array<Record<string, unknown>>>(ctx.server, `/users/me/audit`, { headers: bot.headers });
    expect(audit.status).toBe(200);
    const entry = audit.body.find((e) => e.action === 'oidc_token.exchange' && JSON.stringify(e.details).includes('"777"'));
    expect(entry).toMatchObject({
      actor: { user_id: bot.userId, email: 'deploy-bot@example.com', auth_method: 'oidc', api_token_id: null },
      target: { type: 'trust_policy', id: policyId },
      details: {
        policy_id: policyId,
        policy_name: 'github-deploy',
        access_token_id: decodeJwt(accessToken).jti,
        claims: { iss: trusted.url, sub: 'repo:acme/app:ref:refs/heads/main', aud: AUDIENCE, repository: 'acme/app', ref: 'refs/heads/main', environment: 'staging', workflow: 'deploy', run_id: '777', jti: githubClaims().jti },
      },
    });
    const everything = JSON.stringify(audit.body);
    expect(everything).not.toContain(idToken);
    expect(everything).not.toContain(accessToken);
    expect(audit.body.some((e) => e.action === 'trust_policy.create' && (e.target as { id: string }).id === policyId)).toBe(true);
  });

  it('answers 503 temporarily_unavailable when the issuer names another issuer in its discovery document', async () => {
    const impostor = await startLocalIssuer({ declaredIssuer: () => 'https://token.actions.githubusercontent.com' });
    try {
      const created = await rawRequest(ctx.server, `/users/me/trust-policies`, {
        headers: bot.headers,
        json: { name: 'impostor', issuer: impostor.url, audience: AUDIENCE, conditions: { repository: 'acme/app' } },
      });
      expect(created.status).toBe(201);
      const response = await exchangeIdToken(ctx.server, await impostor.sign(githubClaims()));
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: 'temporarily_unavailable', error_description: "The issuer's discovery document names a different issuer." });
      expect(impostor.requests).toEqual(['/.well-known/openid-configuration']);
    } finally {
      await impostor.close();
    }
  });
});

describe('keyless CI exchange failures and the throttle', () => {
  it('counts refused id-tokens in the same failure throttle as API tokens', async () => {
    const database = await createTestDatabase('sqlite');
    const { server, close } = await startInProcessServer(database, { env: { PIER_EXCHANGE_FAILURES_PER_MINUTE: '3' } });
    const issuer = await startLocalIssuer();
    try {
      const bot = await actorInProcess(server, 'throttled-bot@example.com');
      const created = await rawRequest(server, `/users/me/trust-policies`, {
        headers: bot.headers,
        json: { name: 'gha', issuer: issuer.url, audience: AUDIENCE, conditions: { repository: 'acme/app' } },
      });
      expect(created.status).toBe(201);
      // Successes are forgiven: many of them never use up the allowance.
      for (let i = 0; i < 4; i++) expect((await exchangeIdToken(server, await issuer.sign(githubClaims()))).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await exchangeIdToken(server, await issuer.sign(githubClaims({ repository: 'evil/app' })))).status).toBe(400);
      const blocked = await exchangeIdToken(server, await issuer.sign(githubClaims()));
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toBe('too_many_requests');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await issuer.close();
      await close();
      await database.drop();
    }
  }, 60_000);
});

function unsigned(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iat: now, exp: now + 300, ...claims })}.`;
}
