import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from '../../../../test-support/mailbox.js';
import { ADMIN_EMAIL, databaseKinds, freePort, startPierServer, type PierServer } from '../../../../test-support/pier-server.js';
import { databaseRows } from '../../../../test-support/database-rows.js';
import { useInProcessServer, type InProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logging.js';
import { createServices, type Services } from '../services.js';
import { ExpiryNoticeJob } from './expiry-notices.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const smtpPorts = new Map(await Promise.all([...databaseKinds(), 'wiring'].map(async (kind) => [kind, await freePort()] as const)));

/** A worker's services on the server's database and data directory, mailing through the same SMTP server. */
async function workerServices(server: Pick<InProcessServer, 'dataDir' | 'url' | 'env'>, databaseUrl: string | undefined): Promise<Services> {
  const config = loadConfig({ PIER_DATA_DIR: server.dataDir, PIER_PUBLIC_URL: server.url, SMTP_URL: server.env.SMTP_URL, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  return createServices(config, createLogger('silent'));
}

function expiryMails(messages: ParsedMail[]): ParsedMail[] {
  return messages.filter((mail) => /API token ".*" expires in/.test(mail.subject ?? ''));
}

describe.each(databaseKinds())('API token expiry notices (%s)', (kind) => {
  const mailbox = startMailbox(smtpPorts.get(kind)!);
  const ctx = useInProcessServer(kind, { env: { SMTP_URL: `smtp://127.0.0.1:${smtpPorts.get(kind)!}` } });
  const workers: Services[] = [];
  let jobs: [ExpiryNoticeJob, ExpiryNoticeJob];
  let alice: TestActor;
  let bot: TestActor;
  const start = Date.now();
  const tokens: Record<string, { id: string; token: string; expires_at: string }> = {};

  beforeAll(async () => {
    await mailbox.listening;
    const admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    alice = await actorInProcess(ctx.server, 'alice@example.com');
    const carol = await actorInProcess(ctx.server, 'carol@example.com');
    bot = await actorInProcess(ctx.server, 'deploy-bot@example.com');
    const [shop, blog, wiki] = [await createProjectInProcess(ctx.server, admin, 'Shop'), await createProjectInProcess(ctx.server, admin, 'Blog'), await createProjectInProcess(ctx.server, admin, 'Wiki')];
    for (const project of [shop, blog]) await grantInProcess(ctx.server, admin, project, alice, ['admin']);
    await grantInProcess(ctx.server, admin, wiki, carol, ['admin']);
    // Alice invites the bot twice (she is told once); Carol invites it, then is no longer an admin there.
    for (const [inviter, project] of [[alice, shop], [alice, blog], [carol, wiki]] as const) {
      const invited = await rawRequest(ctx.server, `/projects/${project}/invitations`, {
        headers: inviter.headers,
        json: { email: bot.email, role: 'viewer', permissions: [{ type: 'development', role: 'contributor' }] },
      });
      expect(invited.status).toBe(201);
    }
    const demoted = await rawRequest(ctx.server, `/projects/${wiki}/user-access/${carol.userId}`, {
      method: 'PATCH',
      headers: admin.headers,
      json: { permissions: ['viewer', 'production:viewer'] },
    });
    expect(demoted.status).toBeLessThan(300);

    // Alice's nightly token expires in 30 days; the bot's deploy token 24 days and 20 hours from now; a short one in 3 days.
    for (const [who, name, expiresIn] of [[alice, 'nightly', 30 * DAY], [bot, 'deploy', 24 * DAY + 20 * HOUR], [alice, 'short', 3 * DAY]] as const) {
      const created = await rawRequest(ctx.server, '/users/me/api-tokens', { headers: who.headers, json: { name, expires_at: new Date(start + expiresIn).toISOString() } });
      expect(created.status).toBe(201);
      tokens[name] = created.body as (typeof tokens)[string];
    }
    workers.push(await workerServices(ctx.server, ctx.database.url), await workerServices(ctx.server, ctx.database.url));
    jobs = [new ExpiryNoticeJob(workers[0]!), new ExpiryNoticeJob(workers[1]!)];
  });
  afterAll(async () => {
    for (const services of workers) await services.close();
    await mailbox.close();
  });

  /** Both workers look at the same moment at once, then each again a minute later. */
  async function runEverywhere(at: number) {
    const [first, second] = await Promise.all([jobs[0].run(new Date(at)), jobs[1].run(new Date(at))]);
    const later = await Promise.all([jobs[0].run(new Date(at + 60_000)), jobs[1].run(new Date(at + 60_000))]);
    return [...first, ...second, ...later.flat()];
  }

  it('sends nothing while no token is within a week of expiring, or for a token that never lived a week', async () => {
    expect(await runEverywhere(start)).toEqual([]);
    expect(expiryMails(mailbox.messages)).toEqual([]);
  });

  it('sends the 7-day and the 1-day notices once each, across two workers and repeated runs', async () => {
    const sent = await runEverywhere(start + 24 * DAY);
    expect(sent.map((notice) => [notice.tokenId, notice.notice]).sort()).toEqual(
      [[tokens.nightly!.id, '7d'], [tokens.deploy!.id, '1d']].sort(),
    );
    // The 6-day token: its owner only (Alice was not invited). The 20-hour one: the bot and Alice, once.
    expect(sent.find((notice) => notice.tokenId === tokens.nightly!.id)?.recipients).toEqual(['alice@example.com']);
    expect(sent.find((notice) => notice.tokenId === tokens.deploy!.id)?.recipients).toEqual(['deploy-bot@example.com', 'alice@example.com']);

    const mails = expiryMails(mailbox.messages);
    expect(mails.map((mail) => [mail.to && !Array.isArray(mail.to) ? mail.to.text : '', mail.subject]).sort()).toEqual(
      [
        ['alice@example.com', 'Your Pier API token "nightly" expires in 6 days'],
        ['deploy-bot@example.com', 'Your Pier API token "deploy" expires in 20 hours'],
        ['alice@example.com', `deploy-bot@example.com's Pier API token "deploy" expires in 20 hours`],
      ].sort(),
    );
    const toInviter = mails.find((mail) => mail.subject?.startsWith('deploy-bot'))!;
    expect(toInviter.text).toContain('The API token of deploy-bot@example.com, whom you invited, expires in 20 hours');
    for (const expected of [`Token:   deploy`, `ID:      ${tokens.deploy!.id}`, `Owner:   deploy-bot@example.com`, `Expires: ${tokens.deploy!.expires_at}`, `pier api-token:rotate ${tokens.deploy!.id} --overlap 1h`]) {
      expect(toInviter.text).toContain(expected);
    }
    for (const mail of mails) {
      for (const { token } of Object.values(tokens)) {
        expect(mail.text).not.toContain(token);
        expect(mail.html || '').not.toContain(token);
      }
    }
  });

  it('sends the 1-day notice of the 6-day token when its last day comes, and nothing for an expired one', async () => {
    const before = expiryMails(mailbox.messages).length;
    const sent = await runEverywhere(start + 29 * DAY + HOUR);
    expect(sent).toEqual([{ tokenId: tokens.nightly!.id, notice: '1d', recipients: ['alice@example.com'] }]);
    const mails = expiryMails(mailbox.messages).slice(before);
    expect(mails.map((mail) => mail.subject)).toEqual(['Your Pier API token "nightly" expires in 23 hours']);
    expect(await runEverywhere(start + 29 * DAY + 2 * HOUR)).toEqual([]);
  });

  it('leaves an audit entry per notice, naming the token and recipients, never a secret', async () => {
    const rows = await databaseRows(ctx, "SELECT target_id, auth_method, details FROM audit_log WHERE action = 'api_token.expiry_notice' ORDER BY id");
    const notices = rows.map((row) => [row.target_id, (JSON.parse(String(row.details)) as { notice: string }).notice]);
    expect(notices.sort()).toEqual([[tokens.nightly!.id, '7d'], [tokens.deploy!.id, '1d'], [tokens.nightly!.id, '1d']].sort());
    const deploy = JSON.parse(String(rows.find((row) => row.target_id === tokens.deploy!.id)!.details)) as Record<string, unknown>;
    expect(deploy).toMatchObject({ name: 'deploy', owner: 'deploy-bot@example.com', notice: '1d', recipients: ['deploy-bot@example.com', 'alice@example.com'], delivered: 2 });
    expect(rows.every((row) => row.auth_method === 'system')).toBe(true);
    const everything = JSON.stringify(rows);
    for (const { token } of Object.values(tokens)) expect(everything).not.toContain(token);
  });
});

describe('API token expiry notices from the running server (sqlite)', () => {
  const mailbox = startMailbox(smtpPorts.get('wiring')!);
  let server: PierServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await mailbox.close();
  });

  it('runs in the worker of a default pier-server: a token found inside its last week is announced at start', async () => {
    await mailbox.listening;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-expiry-'));
    // Arranged before the server starts: a 60-day token created 55 days ago.
    const services = await createServices(loadConfig({ PIER_DATA_DIR: dataDir }), createLogger('silent'));
    const owner = await services.users.create({ email: 'ops@example.com', passwordHash: null, isAdmin: false, emailVerified: true });
    const created = await services.apiTokens.create(owner.id, 'release', new Date(Date.now() + 5 * DAY).toISOString());
    await services.database.db.updateTable('api_tokens').set({ created_at: new Date(Date.now() - 55 * DAY).toISOString() }).where('id', '=', created.row.id).execute();
    await services.close();

    server = await startPierServer({ dataDir, env: { SMTP_URL: `smtp://127.0.0.1:${smtpPorts.get('wiring')!}` } });
    const mail = await mailbox.next(1);
    expect(mail.subject).toBe('Your Pier API token "release" expires in 4 days');
    expect(mail.text).toContain(created.row.id);
    expect(mail.text).not.toContain(created.token);
  });
});
