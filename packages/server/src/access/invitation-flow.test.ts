import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from '../../../../test-support/mailbox.js';
import { ADMIN_EMAIL, databaseKinds, freePort, serverCommand } from '../../../../test-support/pier-server.js';
import { databaseRows } from '../../../../test-support/database-rows.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { bearer, cliClient } from '../../../../test-support/http.js';
import { actorInProcess, createProjectInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';


const smtpPorts = new Map(await Promise.all(databaseKinds().map(async (kind) => [kind, await freePort()] as const)));

describe.each(databaseKinds())('inviting a machine user by e-mail (%s)', (kind) => {
  const smtpPort = smtpPorts.get(kind)!;
  const mailbox = startMailbox(smtpPort);
  const ctx = useInProcessServer(kind, { env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, PIER_MAIL_FROM: 'Pier <pier@example.com>' } });
  let admin: TestActor;
  let projectId: string;
  let mailCount = 0;

  beforeAll(async () => {
    await mailbox.listening;
    admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectInProcess(ctx.server, admin, 'Shop');
    for (const [name, type] of [['dev', 'development'], ['stage', 'staging']]) {
      await rawRequest(ctx.server, `/projects/${projectId}/environments/main/branch`, { headers: admin.headers, json: { name, type } });
    }
  });
  afterAll(() => mailbox.close());

  it('sends the invitation over SMTP, signs the bot up from the link, and gives it only its roles', async () => {
    const invited = await rawRequest(ctx.server, `/projects/${projectId}/invitations`, {
      headers: admin.headers,
      json: { email: 'bot@example.com', role: 'viewer', permissions: [{ type: 'development', role: 'contributor' }] },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ state: 'pending', email: 'bot@example.com', role: 'viewer', permissions: [{ type: 'development', role: 'contributor' }] });

    const mail = await mailbox.next(++mailCount);
    expect(mail.to).toMatchObject({ text: 'bot@example.com' });
    expect(mail.from?.text).toContain('pier@example.com');
    expect(mail.subject).toContain('Shop');
    expect(mail.text).toContain('viewer, development:contributor');
    expect(mail.html).toContain('<a href=');
    const link = /(http:\/\/\S+\/sign-up\?invitation=([\w-]+))/.exec(mail.text ?? '');
    expect(link).not.toBeNull();
    const token = link![2]!;
    expect(mail.html).toContain(link![1]);

    const preview = await rawRequest(ctx.server, `/invitations/${token}`);
    expect(preview.body).toMatchObject({ email: 'bot@example.com', project_title: 'Shop', permissions: ['viewer', 'development:contributor'], existing_account: false });

    const weak = await rawRequest(ctx.server, `/invitations/${token}/accept`, { json: { password: 'short' } });
    expect(weak.status).toBe(400);
    const accepted = await rawRequest(ctx.server, `/invitations/${token}/accept`, { json: { password: 'machine user password', first_name: 'Deploy', last_name: 'Bot' } });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('set-cookie')).toMatch(/^pier_session=/);
    const again = await rawRequest(ctx.server, `/invitations/${token}/accept`, { json: { password: 'machine user password' } });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ error: 'gone', message: 'This invitation has already been used. Log in instead.' });

    // The machine user logs in to the console and creates its API token there.
    const login = await rawRequest(ctx.server, `/auth/login`, { json: { email: 'bot@example.com', password: 'machine user password' } });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const created = await rawRequest(ctx.server, `/users/me/api-tokens`, { headers: { cookie, 'x-csrf-token': String(login.body.csrf_token) }, json: { name: 'cron' } });
    expect(created.status).toBe(201);
    const exchanged = await rawRequest(ctx.server, `/oauth2/token`, { headers: cliClient, form: { grant_type: 'api_token', api_token: String(created.body.token) } });
    const bot = bearer(String(exchanged.body.access_token));

    const me = await rawRequest(ctx.server, `/users/me`, { headers: bot });
    expect(me.body).toMatchObject({ email: 'bot@example.com', first_name: 'Deploy', last_name: 'Bot', email_verified: true });
    const environments = await rawRequest<Array<{ id: string; _links: Record<string, unknown> }>>(ctx.server, `/projects/${projectId}/environments`, { headers: bot });
    expect(environments.body.map((e) => e.id)).toEqual(['dev']);
    expect(Object.keys(environments.body[0]!._links).filter((rel) => rel.startsWith('#')).sort()).toEqual(['#branch', '#source-operation', '#source-operations', '#variables']);
    expect((await rawRequest(ctx.server, `/projects/${projectId}/environments/main`, { headers: bot })).status).toBe(403);
    expect((await rawRequest(ctx.server, `/projects/${projectId}/environments/dev/branch`, { headers: bot, json: { name: 'bot-branch' } })).status).toBe(201);
    expect((await rawRequest(ctx.server, `/projects/${projectId}/user-access`, { headers: bot, json: [] })).status).toBe(400);
    const access = await rawRequest(ctx.server, `/projects/${projectId}/user-access/me`, { headers: bot });
    expect(access.body).toMatchObject({ permissions: ['viewer', 'development:contributor'] });
  });

  it('answers 409 for a second pending invitation, replaces it with force, and refuses the old link', async () => {
    const body = { email: 'twice@example.com', role: 'viewer' };
    expect((await rawRequest(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers, json: body })).status).toBe(201);
    const first = await mailbox.next(++mailCount);
    const duplicate = await rawRequest(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers, json: body });
    expect(duplicate.status).toBe(409);
    expect((await rawRequest(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers, json: { ...body, force: true } })).status).toBe(201);
    await mailbox.next(++mailCount);
    const oldToken = /invitation=([\w-]+)/.exec(first.text ?? '')![1]!;
    const old = await rawRequest(ctx.server, `/invitations/${oldToken}`);
    expect(old.status).toBe(410);
    expect(old.body).toMatchObject({ detail: { state: 'cancelled' } });
    const pending = await rawRequest<Array<{ email: string; state: string }>>(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers });
    expect(pending.body.filter((i) => i.email === 'twice@example.com')).toHaveLength(1);
  });

  it('grants an existing user directly, without an e-mail', async () => {
    const existing = await actorInProcess(ctx.server, 'existing@example.com');
    const invited = await rawRequest(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers, json: { email: 'existing@example.com', role: 'admin' } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ state: 'accepted' });
    expect((await rawRequest(ctx.server, `/projects/${projectId}`, { headers: existing.headers })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.messages).toHaveLength(mailCount);
  });

  it('lets an account created since the invitation accept it only by logging in as itself', async () => {
    const invited = await rawRequest(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers, json: { email: 'later@example.com' } });
    expect(invited.body).not.toHaveProperty('link');
    const token = /invitation=([\w-]+)/.exec((await mailbox.next(++mailCount)).text ?? '')![1]!;
    // The account comes about some other way before the link is used.
    const created = await serverCommand(ctx.server, ['user:create', 'later@example.com']);
    const password = /Password \(shown once\): (\S+)/.exec(created)![1]!;
    expect((await rawRequest(ctx.server, `/invitations/${token}`)).body).toMatchObject({ existing_account: true });

    for (const [attempt, expected] of [
      [{ json: {} }, 401],
      [{ json: { password: 'not the password' } }, 401],
      [{ json: {}, headers: admin.headers }, 403],
    ] as const) {
      const refused = await rawRequest(ctx.server, `/invitations/${token}/accept`, attempt);
      expect(refused.status, JSON.stringify(attempt)).toBe(expected);
      expect(refused.headers.get('set-cookie')).toBeNull();
    }
    const accepted = await rawRequest(ctx.server, `/invitations/${token}/accept`, { json: { password } });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('set-cookie')).toMatch(/^pier_session=/);
    const members = await rawRequest<{ items: Array<{ user: { email: string } }> }>(ctx.server, `/projects/${projectId}/user-access`, { headers: admin.headers });
    expect(members.body.items.map((a) => a.user.email)).toContain('later@example.com');
  });

  it('refuses cancelled links clearly', async () => {
    await rawRequest(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers, json: { email: 'late@example.com' } });
    const mail = await mailbox.next(++mailCount);
    const token = /invitation=([\w-]+)/.exec(mail.text ?? '')![1]!;
    // Cancelling is the admin's way to kill a link; a cancelled link must say so.
    const list = await rawRequest<Array<{ id: string; email: string }>>(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers });
    const id = list.body.find((i) => i.email === 'late@example.com')!.id;
    expect((await rawRequest(ctx.server, `/projects/${projectId}/invitations/${id}`, { method: 'DELETE', headers: admin.headers })).status).toBe(204);
    const cancelled = await rawRequest(ctx.server, `/invitations/${token}/accept`, { json: { password: 'a good long password' } });
    expect(cancelled.status).toBe(410);
    expect(cancelled.body.message).toBe('This invitation was cancelled. Ask a project admin for a new one.');
    expect(ctx.server.output()).not.toContain(token);
  });
});

describe.each(databaseKinds())('without SMTP the inviting admins get the link, and nothing usable is stored or logged (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_INVITATION_TTL_SECONDS: '3' } });

  it('shows the link to project admins only, keeps it out of the log and the outbox, and refuses it once expired', async () => {
    const admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectInProcess(ctx.server, admin, 'Offline');
    const invited = await rawRequest(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers, json: { email: 'nomail@example.com' } });
    expect(invited.status).toBe(201);
    const link = String(invited.body.link);
    const token = /sign-up\?invitation=([\w-]+)$/.exec(link)![1]!;
    const pending = await rawRequest<Array<{ email: string; link?: string }>>(ctx.server, `/projects/${projectId}/invitations`, { headers: admin.headers });
    expect(pending.body.find((i) => i.email === 'nomail@example.com')?.link).toBe(link);
    expect((await rawRequest(ctx.server, `/invitations/${token}`)).status).toBe(200);

    await expect.poll(() => ctx.server.output(), { timeout: 3_000 }).toContain('no SMTP_URL configured');
    expect(ctx.server.output()).not.toContain(token);
    const outbox = await databaseRows(ctx, 'select * from mail_outbox');
    expect(outbox).toHaveLength(1);
    expect(JSON.stringify(outbox)).not.toContain(token);
    expect(JSON.stringify(await databaseRows(ctx, 'select * from invitations'))).not.toContain(token);

    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const expired = await rawRequest(ctx.server, `/invitations/${token}/accept`, { json: { password: 'a good long password' } });
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ detail: { state: 'expired' }, message: 'This invitation has expired. Ask a project admin to invite you again.' });
  });
});
