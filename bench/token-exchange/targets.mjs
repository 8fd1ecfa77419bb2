// The servers the token exchange benchmark measures (hello-world, oidc-provider, pier-server), each
// started on its own port and answering `check()` with what one real request returned.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { freePort, runNode, startNode, waitForHttp } from './processes.mjs';
import { OIDC_CLIENT, OIDC_TOKEN_BODY } from './oidc-peer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const pierBin = path.join(repoRoot, 'packages/server/bin/pier-server.js');
export const ADMIN_EMAIL = 'admin@pier.local';
const FORM = 'application/x-www-form-urlencoded';

/** Starts the server a target measures: the hello-world baseline, the OIDC peer or Pier. */
export function startServer(target, ctx) {
  if (target.server === 'hello') return startHello(ctx);
  if (target.server === 'oidc') return startOidc(target, ctx);
  return startPier(target, ctx);
}

async function startHello(ctx) {
  const port = await freePort();
  const handle = startNode([path.join(here, 'hello-server.mjs')], { cwd: repoRoot, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' }, logFile: path.join(ctx.runDir, 'a.log') });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(handle, baseUrl + '/');
  return {
    handle,
    baseUrl,
    request: { method: 'GET', path: '/' },
    async check() {
      const body = await expectJson(await fetch(baseUrl + '/'));
      if (body.hello !== 'world') throw new Error(`hello-world answered ${JSON.stringify(body)}`);
      return JSON.stringify(body);
    },
  };
}

async function startOidc(target, ctx) {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), TOKEN_FORMAT: 'jwt', JWT_ALG: target.alg };
  const handle = startNode([path.join(ctx.peerDir, 'provider.mjs')], { cwd: ctx.peerDir, env, logFile: path.join(ctx.runDir, `${target.id}.log`) });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(handle, baseUrl + '/jwks');
  const request = {
    method: 'POST',
    path: '/token',
    headers: { authorization: basic(`${OIDC_CLIENT.id}:${OIDC_CLIENT.secret}`), 'content-type': FORM },
    body: OIDC_TOKEN_BODY,
  };
  return {
    handle,
    baseUrl,
    request,
    async check() {
      const body = await expectJson(await fetch(baseUrl + request.path, { method: 'POST', headers: request.headers, body: request.body }));
      const { protectedHeader, payload } = await verifyJwt(body.access_token, baseUrl + '/jwks');
      if (protectedHeader.alg !== target.alg) throw new Error(`oidc-provider signed with ${protectedHeader.alg}, expected ${target.alg}`);
      return `JWT ${protectedHeader.alg} typ=${protectedHeader.typ} sub=${payload.sub} scope="${payload.scope}" expires_in=${body.expires_in}`;
    },
  };
}

async function startPier(target, ctx) {
  const port = await freePort();
  const env = pierEnvironment(ctx, { PORT: String(port), PIER_LOG_LEVEL: target.logLevel, ...target.env });
  const profileDir = ctx.options['cpu-prof'] ? path.join(ctx.runDir, 'profiles', target.id) : null;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const handle = startNode([...nodeFlags, pierBin], { cwd: repoRoot, env, logFile: path.join(ctx.runDir, `${target.id}.log`) });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(handle, baseUrl + '/healthz');
  // The instance admin exists once the server has started; the API token lives in the shared data dir.
  ctx.apiToken ??= (await runNode([pierBin, 'user:create-token', ADMIN_EMAIL, '--name', 'bench'], { cwd: repoRoot, env })).trim();
  if (target.scoped) ctx.scopedApiToken ??= await createScopedApiToken(ctx, env);
  const exchangeRequest = {
    method: 'POST',
    path: '/oauth2/token',
    headers: { authorization: basic('pier-cli:'), 'content-type': FORM },
    body: new URLSearchParams({ grant_type: 'api_token', api_token: target.scoped ? ctx.scopedApiToken : ctx.apiToken }).toString(),
  };
  const exchange = async () => {
    const body = await expectJson(await fetch(baseUrl + exchangeRequest.path, { method: 'POST', headers: exchangeRequest.headers, body: exchangeRequest.body }));
    if (body.token_type !== 'bearer') throw new Error(`exchange answered token_type ${body.token_type}`);
    const verified = await verifyJwt(body.access_token, baseUrl + '/oauth2/jwks');
    return { body, ...verified };
  };
  if (target.call === 'exchange') {
    return {
      handle,
      baseUrl,
      profileDir,
      request: exchangeRequest,
      async check() {
        const { body, protectedHeader, payload } = await exchange();
        return `JWT ${protectedHeader.alg} typ=${protectedHeader.typ} sub=${payload.sub} amr=${JSON.stringify(payload.amr)} expires_in=${body.expires_in}`;
      },
    };
  }
  const { body: issued, payload } = await exchange();
  const meRequest = { method: 'GET', path: '/users/me', headers: { authorization: `Bearer ${issued.access_token}` } };
  // Until the exchange copies an API token's scope and binding into its access tokens, the scoped
  // row measures a plain token: it says so, and its ratio has no verdict.
  const claimsMissing = target.scoped && !(Array.isArray(payload.pier_scope) && Array.isArray(payload.allowed_ips));
  return {
    handle,
    baseUrl,
    profileDir,
    request: meRequest,
    claimsMissing,
    async check() {
      const user = await expectJson(await fetch(baseUrl + meRequest.path, { headers: meRequest.headers }));
      if (user.email !== ADMIN_EMAIL) throw new Error(`/users/me answered ${JSON.stringify(user)}`);
      const claims = !target.scoped ? '' : claimsMissing ? ' (WARNING: the access token carries no pier_scope/allowed_ips claims)' : ` pier_scope=${JSON.stringify(payload.pier_scope)} allowed_ips=${JSON.stringify(payload.allowed_ips)}`;
      return `user ${user.email} id=${user.id}${claims}`;
    },
  };
}

/** Scope and binding of the scoped row's API token: one project, and loopback among other networks. */
const BENCH_SCOPE = [{ project_id: 'bench-project', permissions: ['viewer', 'development:contributor'] }];
const BENCH_ALLOWED_IPS = ['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8', '127.0.0.0/8', '::1/128'];

/**
 * A second API token whose scope and address binding are set directly in the server's SQLite
 * file (the columns of migration 0008), so the row does not depend on the creation API.
 */
async function createScopedApiToken(ctx, env) {
  const token = (await runNode([pierBin, 'user:create-token', ADMIN_EMAIL, '--name', 'bench-scoped'], { cwd: repoRoot, env })).trim();
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(path.join(ctx.dataDir, 'pier.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const updated = db
      .prepare("UPDATE api_tokens SET scope = ?, allowed_ips = ? WHERE name = 'bench-scoped' AND revoked_at IS NULL")
      .run(JSON.stringify(BENCH_SCOPE), JSON.stringify(BENCH_ALLOWED_IPS));
    if (updated.changes !== 1) throw new Error(`could not set the scoped API token's scope (${updated.changes} rows)`);
  } finally {
    db.close();
  }
  return token;
}

/** The embedded-SQLite default, whatever the caller's shell has set for Pier. */
export function pierEnvironment(ctx, overrides) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PIER_') && !['DATABASE_URL', 'HOST', 'PORT'].includes(name)));
  return {
    ...env,
    PIER_DATA_DIR: ctx.dataDir,
    PIER_ADMIN_PASSWORD: 'secret123',
    ...(ctx.options['pier-alg'] ? { PIER_JWT_ALG: ctx.options['pier-alg'] } : {}),
    ...overrides,
  };
}

async function expectJson(response) {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${response.url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function verifyJwt(token, jwksUrl) {
  if (typeof token !== 'string' || token.split('.').length !== 3) throw new Error(`not a JWT: ${String(token).slice(0, 60)}`);
  const jwks = createLocalJWKSet(await expectJson(await fetch(jwksUrl)));
  const verified = await jwtVerify(token, jwks, { typ: 'at+jwt' });
  if (!verified.payload.sub || !verified.payload.exp || !verified.payload.jti) throw new Error('access token lacks sub, exp or jti');
  return verified;
}

function basic(credentials) {
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}
