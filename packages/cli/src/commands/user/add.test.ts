import { describe, expect, it } from 'vitest';
import { projectBody } from '../../testing/api-fixtures.js';
import { HttpMock, json, type Responder } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

const owner = { user_id: 'owner-1', user: { id: 'owner-1', email: 'owner@example.com' }, permissions: ['admin'] };
const member = { user_id: 'user-2', user: { id: 'user-2', email: 'bob@example.com' }, permissions: ['viewer', 'development:viewer'] };
const types = [{ id: 'production' }, { id: 'staging' }, { id: 'development' }];

/** What user:add reads before deciding: the project, its members and its environment types. */
function project(...then: [string, string, Responder][]): HttpMock {
  const http = new HttpMock()
    .on('GET', '/projects/p1', json(200, projectBody({ owner: 'owner-1' })))
    .on('GET', '/projects/p1/user-access', json(200, { items: [owner, member] }))
    .on('GET', '/projects/p1/environment-types', json(200, types));
  for (const [method, path, respond] of then) http.on(method, path, respond);
  return http;
}

const invitation = (state: string, link?: string) => json(201, { id: 'inv-1', email: 'new@example.com', state, ...(link ? { link } : {}) });

describe('user:add', () => {
  it('needs an e-mail address', async () => {
    const run = await runCommand(['user:add', '-p', 'p1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('An email address is required (in non-interactive mode).');
    expect(run.http.requests).toEqual([]);
  });

  // Moved here from e2e/user-commands.test.ts: the checks are the CLI's, before any write.
  it.each([
    [['-r', 'viewer', '-r', 'development:boss'], 'Invalid role: boss'],
    [['-r', 'viewer'], 'No environment types selected.\nA non-admin user must be added to at least one environment type.'],
    [['-r', 'v', '-r', 'qa:viewer'], 'No environment type IDs match: qa'],
    [['-r', 'admin', '-r', 'development:viewer'], 'A project admin has the admin role on every environment type'],
  ])('refuses %j with exit 1, sending nothing', async (roles, message) => {
    const http = project();
    const run = await runCommand(['user:add', 'new@example.com', '-p', 'p1', ...roles], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(http.requests.every((request) => request.method === 'GET')).toBe(true);
  });

  it('shows the roles and asks; "no" sends nothing', async () => {
    const http = project();
    const run = await runCommand(['user:add', 'new@example.com', '-p', 'p1', '-r', 'viewer,development:contributor'], { http, tty: true, input: 'n\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Adding the user new@example.com to Shop (p1):\n  Project role: viewer\n    Role on type development: contributor\n');
    expect(run.stderr).toContain('Are you sure you want to add this user? [Y/n] ');
    expect(run.stderr).toContain('Cancelled.');
    http.verify();
  });

  it('invites with --yes; a pending invitation is sent again after a second question', async () => {
    const http = project(['POST', '/projects/p1/invitations', json(409, { code: 'conflict', message: 'pending', detail: {} })], ['POST', '/projects/p1/invitations', invitation('pending')]);
    const run = await runCommand(['user:add', 'new@example.com', '-p', 'p1', '-r', 'viewer', '-r', 'development:contributor', '--yes'], { http });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('An invitation has already been sent to new@example.com\nDo you want to send this invitation anyway? [Y/n] y');
    expect(run.stderr).toContain('An invitation has been sent to new@example.com');
    const posts = http.requests.filter((request) => request.method === 'POST').map((request) => request.body);
    expect(posts).toEqual([
      { email: 'new@example.com', role: 'viewer', permissions: [{ type: 'development', role: 'contributor' }], force: false },
      { email: 'new@example.com', role: 'viewer', permissions: [{ type: 'development', role: 'contributor' }], force: true },
    ]);
    http.verify();
  });

  it('prints the sign-up link on stdout when the server has no mail server; says so when access was granted directly', async () => {
    const linked = project(['POST', '/projects/p1/invitations', invitation('pending', 'http://pier.test/signup/abc')]);
    const run = await runCommand(['user:add', 'new@example.com', '-p', 'p1', '-r', 'admin', '--yes'], { http: linked });
    expect(run.stdout).toBe('http://pier.test/signup/abc\n');
    expect(run.stderr).toContain('No mail server is configured on the server: send new@example.com this sign-up link yourself');

    const accepted = project(['POST', '/projects/p1/invitations', invitation('accepted')]);
    const direct = await runCommand(['user:add', 'new@example.com', '-p', 'p1', '-r', 'admin', '--yes'], { http: accepted });
    expect(direct.stderr).toContain('new@example.com already has an account: access was granted directly.');
  });

  it('for a member merges the new roles into the current ones; the owner cannot be changed', async () => {
    const http = project(['PATCH', '/projects/p1/user-access/user-2', json(200, { ...member, permissions: ['viewer', 'development:viewer', 'staging:contributor'] })]);
    const run = await runCommand(['user:add', 'bob@example.com', '-p', 'p1', '-r', 'staging:contributor', '--yes'], { http });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Summary of changes:\n    Role on type staging: none -> contributor\n');
    expect(http.requests.at(-1)?.body).toEqual({ permissions: ['viewer', 'development:viewer', 'staging:contributor'] });
    http.verify();

    const ownerRun = await runCommand(['user:add', 'owner@example.com', '-p', 'p1', '-r', 'viewer', '--yes'], { http: project() });
    expect(ownerRun.code).toBe(1);
    expect(ownerRun.stderr).toContain("The project owner's role(s) cannot be changed.");
  });
});
