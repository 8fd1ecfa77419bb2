import fs from 'node:fs';
import net from 'node:net';
import { createHash } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../services.js';
import type { ChangeFeed } from '../db/change-feed.js';
import { PushRefused } from '../git/pushes.js';
import { HOST_CERTIFICATE, signCertificate } from './certificates.js';
import { parsePublicKeyLine } from './public-keys.js';
import { gatewayAccountNames, gatewayLoginUser, loginExists, parseLogin } from './gateway-accounts.js';
import { identify, parseCertificate, SshRefused } from './identify.js';
import { planSession, sessionKind, type SessionServices } from './session-plan.js';
import type { SshRefusalStage } from '../metrics/pier-metrics.js';
import { postReceive, preReceive, type HookRequest, type HookServices } from './push-hooks.js';
import { LiveSshSessions } from './live-sessions.js';

const HOST_CERT_DAYS = 365;
/** Which step of an SSH connection a route's refusal stops (a metric label). */
const REFUSAL_STAGES: Record<string, SshRefusalStage> = { '/principals': 'login', '/session': 'session', '/hooks/pre-receive': 'push' };
/** How long a gateway's `GET /accounts` waits for a change before answering the same list. */
const ACCOUNTS_WAIT_MS = 25_000;

/**
 * The gateway's side door: a Unix socket only root can open (0600 in a 0700 folder), through which
 * the gateway's client asks this server every decision — no secret, key or database URL ever
 * lives in the gateway. Refusals answer 403 with the message for the SSH user.
 */
/**
 * What the SSH gateway answers with: the session and hook stores, the CA, the logger and metrics —
 * not the HTTP API's token machinery.
 */
export type GatewayServices = SessionServices & HookServices & Pick<Services, 'logger' | 'metrics' | 'sshAuthority'>;

export async function startGatewaySocket(services: GatewayServices): Promise<{ close(): Promise<void> } | undefined> {
  const socket = services.config.ssh.socket;
  if (await inUse(socket)) {
    services.logger.info({ socket }, 'another pier-server answers the SSH gateway socket');
    return undefined;
  }
  fs.mkdirSync(path.dirname(socket), { recursive: true, mode: 0o700 });
  fs.chmodSync(path.dirname(socket), 0o700);
  fs.rmSync(socket, { force: true });
  const liveSessions = new LiveSshSessions(services.logger);
  const unfollow = liveSessions.follow(services.revocations);
  const app = gatewayApp(services, liveSessions);
  await app.listen({ path: socket });
  fs.chmodSync(socket, 0o600);
  return {
    close: () => {
      unfollow();
      return app.close();
    },
  };
}

function gatewayApp(services: GatewayServices, liveSessions: LiveSshSessions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  void app.register(formbody, { bodyLimit: 4 * 1024 * 1024 });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SshRefused || error instanceof PushRefused) {
      services.metrics.sshRefusals.inc({ stage: REFUSAL_STAGES[request.routeOptions.url ?? ''] ?? 'session' });
      return reply.status(403).type('text/plain').send(`${error.message}\n`);
    }
    services.logger.error({ err: error }, 'SSH gateway request failed');
    return reply.status(500).type('text/plain').send('Pier could not handle this SSH request; the server log has the details.\n');
  });
  const text = Type.String({ maxLength: 65_536 });

  // AuthorizedPrincipalsCommand: the certificate's principal if its user may log in under this name.
  app.post('/principals', { schema: { body: Type.Object({ user: text, certificate: text }) } }, async (request, reply) => {
    // Refusals print nothing: sshd then denies the login without detail. A host account (root…)
    // is no login name of the gateway's, even though sshd knows it.
    const refuse = () => {
      services.metrics.sshRefusals.inc({ stage: 'login' });
      return reply.type('text/plain').send('');
    };
    const login = parseLogin(request.body.user, gatewayLoginUser(services.config, services.vendor));
    if (!login || !(await loginExists(services, login))) return refuse();
    const certificate = parseCertificate(request.body.certificate);
    const usable = await identify(services, certificate, null).then(() => true, (error: unknown) => (error instanceof SshRefused ? false : Promise.reject(error)));
    return usable ? reply.type('text/plain').send(`${certificate.keyId}\n`) : refuse();
  });

  // ForceCommand: the script that runs this session.
  app.post(
    '/session',
    {
      schema: {
        body: Type.Object({ user: text, target: text, command: text, auth: text, client: text, tty: text, term: text, pid: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })) }),
      },
    },
    async (request, reply) => {
      const { body } = request;
      const { script, identity } = await planSession(services, { user: body.user, target: body.target, command: body.command, authInfo: body.auth, client: body.client, tty: body.tty !== '', term: body.term });
      if (body.pid) liveSessions.register(Number(body.pid), identity.userId, identity.apiTokenId);
      services.metrics.sshSessions.inc({ kind: sessionKind(body.command) });
      return reply.type('text/plain').send(script);
    },
  );

  const hook = Type.Object({
    updates: text,
    user: text,
    token: text,
    project: text,
    client: text,
    scope: Type.Optional(text),
    quarantine: text,
    objects: text,
    alternates: text,
  });
  const hookRequest = (body: Record<string, string>): HookRequest => ({
    updates: body.updates ?? '',
    user: body.user ?? '',
    token: body.token ?? '',
    project: body.project ?? '',
    client: body.client ?? '',
    scope: body.scope ?? '',
    quarantine: { GIT_QUARANTINE_PATH: body.quarantine, GIT_OBJECT_DIRECTORY: body.objects, GIT_ALTERNATE_OBJECT_DIRECTORIES: body.alternates },
  });
  app.post('/hooks/pre-receive', { schema: { body: hook } }, async (request, reply) => {
    await preReceive(services, hookRequest(request.body));
    return reply.type('text/plain').send('');
  });
  app.post('/hooks/post-receive', { schema: { body: hook } }, async (request, reply) => {
    const messages = await postReceive(services, hookRequest(request.body));
    return reply.type('text/plain').send(messages.map((m) => `${m}\n`).join(''));
  });

  // `pier-server ssh-gateway` at start: the CA to trust and a host certificate for its key.
  app.post('/host-certificate', { schema: { body: Type.Object({ key: text }) } }, async (request) => {
    const key = parsePublicKeyLine(request.body.key);
    const host = services.config.ssh.host;
    const certificate = signCertificate(
      services.sshAuthority,
      {
        key,
        type: HOST_CERTIFICATE,
        keyId: `gateway-${host}`,
        principals: [...new Set([host, 'localhost', '127.0.0.1'])],
        validAfter: new Date(Date.now() - 300_000),
        validBefore: new Date(Date.now() + HOST_CERT_DAYS * 86_400_000),
        extensions: {},
      },
      'gateway',
    );
    return { certificate, authority: services.sshAuthority.publicLine };
  });

  // The login names the gateway's passwd file must hold; waits (long poll) until they differ from `known`.
  app.get('/accounts', { schema: { querystring: Type.Object({ known: Type.Optional(Type.String({ maxLength: 128 })) }) } }, async (request, reply) => {
    const deadline = Date.now() + ACCOUNTS_WAIT_MS;
    let names = await gatewayAccountNames(services);
    while (fingerprint(names) === request.query.known && Date.now() < deadline) {
      await nextChange(services.database.changes, Math.min(5_000, deadline - Date.now()));
      names = await gatewayAccountNames(services);
    }
    return reply.type('text/plain').header('etag', fingerprint(names)).send(names.map((n) => `${n}\n`).join(''));
  });
  return app;
}

function fingerprint(names: string[]): string {
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 32);
}

/** Resolves at the next environment change, or after `ms` (a missed notification costs at most that). */
function nextChange(changes: ChangeFeed, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = changes.subscribe('environment', done);
  });
}

/** Whether a live server already answers on the socket (a stale file from a crash does not count). */
function inUse(socket: string): Promise<boolean> {
  if (!fs.existsSync(socket)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = net.connect(socket, () => {
      probe.end();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
}
