import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { ADMIN_EMAIL, createApiToken, createUser, type PierServer } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { actor, type TestActor } from '../../../../test-support/actors.js';
import { ciEnv, runCli, type CliResult } from '../testing/run-cli.js';

/**
 * user:* against a real server, run as a CI job would: the project comes from PIER_PROJECT, the
 * seed's exact command line, answers taken from --yes or the non-interactive defaults.
 */
let server: PierServer;
let admin: TestActor;
let adminEnv: Record<string, string | undefined>;
let projectId: string;

beforeAll(async () => {
  server = await startListeningServer();
  admin = await actor(server, ADMIN_EMAIL, { existing: true });
  const created = await runCli(['project:create', '--title', 'Access'], { env: ciEnv(server, { PIER_CLI_TOKEN: await createApiToken(server, ADMIN_EMAIL, 'admin-cli') }) });
  expect(created.code).toBe(0);
  projectId = created.stdout.trim();
  adminEnv = ciEnv(server, { PIER_CLI_TOKEN: await createApiToken(server, ADMIN_EMAIL, 'admin-ci'), PIER_PROJECT: projectId });
});
afterAll(() => server?.stop());

const pier = (...args: string[]): Promise<CliResult> => runCli(args, { env: adminEnv });

async function permissionsOf(email: string): Promise<string[] | undefined> {
  const access = await apiAs(server, admin.headers).GET('/projects/{project_id}/user-access', { params: { path: { project_id: projectId } } });
  return access.data!.items.find((item) => item.user.email === email)?.permissions.slice().sort();
}

describe('user:add', () => {
  it("with the seed's exact arguments invites a new e-mail as viewer + development contributor", async () => {
    const result = await pier('user:add', 'bot@example.com', '--role', 'viewer', '--role', 'development:contributor');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Adding the user bot@example.com to Access (${projectId}):\n  Project role: viewer\n    Role on type development: contributor\n`);
    // This server has no mail server: the admin gets the link to pass on.
    expect(result.stderr).toContain('No mail server is configured on the server: send bot@example.com this sign-up link yourself');
    expect(result.stdout).toMatch(/^http:\/\/\S+\/sign-up\?invitation=[\w-]+\n$/);
    const listed = await pier('user:list');
    expect(listed.stderr).toContain(`  bot@example.com: ${result.stdout.trim()}`);
    const invitations = await apiAs(server, admin.headers).GET('/projects/{project_id}/invitations', { params: { path: { project_id: projectId } } });
    expect(invitations.data!.filter((invitation) => invitation.email === 'bot@example.com')).toEqual([
      expect.objectContaining({ state: 'pending', role: 'viewer', permissions: [{ type: 'development', role: 'contributor' }] }),
    ]);
  });

  it('a second invitation while one is pending is sent again (non-interactive default: yes)', async () => {
    const result = await pier('user:add', 'bot@example.com', '-r', 'viewer,development:contributor');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('An invitation has already been sent to bot@example.com');
    expect(result.stderr).toContain('send bot@example.com this sign-up link yourself');
    const pending = await apiAs(server, admin.headers).GET('/projects/{project_id}/invitations', {
      params: { path: { project_id: projectId }, query: { 'filter[state]': 'pending' } },
    });
    expect(pending.data!.filter((invitation) => invitation.email === 'bot@example.com')).toHaveLength(1);
  });

  it('an e-mail that already has an account gets access directly', async () => {
    await createUser(server, 'dev@example.com');
    const result = await pier('user:add', 'dev@example.com', '--role', 'viewer', '--role', 'development:contributor');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('dev@example.com already has an account: access was granted directly.');
    expect(await permissionsOf('dev@example.com')).toEqual(['development:contributor', 'viewer']);
  });

  it('for a project member, merges the new roles into the current ones', async () => {
    const result = await pier('user:add', 'dev@example.com', '--role', 'staging:v');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Summary of changes:\n    Role on type staging: none -> viewer\n');
    expect(result.stderr).toContain('Access was updated successfully.');
    expect(await permissionsOf('dev@example.com')).toEqual(['development:contributor', 'staging:viewer', 'viewer']);
  });
  // The role checks (invalid roles, no environment type, admin plus a type role) are tested
  // without a server in commands/user/add.test.ts.
});

describe('user:update, user:get, user:list, user:delete', () => {
  it('user:update takes wildcard types, prefixes and none', async () => {
    expect((await pier('user:update', 'dev@example.com', '-r', '%:v')).code).toBe(0);
    expect(await permissionsOf('dev@example.com')).toEqual(['development:viewer', 'production:viewer', 'staging:viewer', 'viewer']);
    expect((await pier('user:update', 'dev@example.com', '-r', 'dev%:c', '-r', 'production:none')).code).toBe(0);
    expect(await permissionsOf('dev@example.com')).toEqual(['development:contributor', 'staging:viewer', 'viewer']);
    const unknown = await pier('user:update', 'nobody@example.com', '-r', 'admin');
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('User not found: nobody@example.com') });
  });

  it('user:get prints the properties, or one with -P', async () => {
    expect((await pier('user:get', 'dev@example.com', '-P', 'permissions')).stdout).toBe('viewer, staging:viewer, development:contributor\n');
    const properties = JSON.parse((await pier('user:get', 'dev@example.com', '--format', 'json')).stdout) as Record<string, unknown>;
    expect(properties).toMatchObject({ email: 'dev@example.com', role: 'viewer' });
  });

  it('user:list (alias users) in every format, the owner first', async () => {
    const table = await pier('users');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[1]).toMatch(/^\| Email address +\| Name +\| Project role +\| ID +\|$/);
    const csv = (await pier('user:list', '--format', 'csv', '-c', 'email,role')).stdout;
    expect(csv.split('\n').slice(0, 2)).toEqual(['Email address,Project role', `${ADMIN_EMAIL},admin (owner)`]);
    expect(csv).toContain('dev@example.com,viewer\n');
    expect((await pier('user:list', '--format', 'tsv', '--no-header', '-c', 'email')).stdout).toBe(`${ADMIN_EMAIL}\ndev@example.com\n`);
    expect((await pier('user:list', '--format', 'plain', '--columns', '+perm%')).stdout).toMatch(/\ndev@example\.com\t.*\tviewer\t[0-9a-f-]{36}\t.*development:contributor/);
    const rows = JSON.parse((await pier('user:list', '--format', 'json', '-c', 'email,granted_at')).stdout) as Record<string, unknown>[];
    expect(rows[1]).toEqual({ email: 'dev@example.com', granted_at: expect.stringMatching(/^\d{4}-/) });
  });

  it('user:delete removes access after confirmation; the owner cannot be deleted', async () => {
    const owner = await pier('user:delete', ADMIN_EMAIL, '--yes');
    expect(owner).toMatchObject({ code: 1, stderr: expect.stringContaining('The project owner cannot be deleted.') });
    const deleted = await pier('user:delete', 'dev@example.com', '--yes');
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain('Are you sure you want to delete the user dev@example.com? [Y/n] y\nUser dev@example.com deleted');
    expect(await permissionsOf('dev@example.com')).toBeUndefined();
  });
});

describe('a machine user', () => {
  let machineEnv: Record<string, string | undefined>;
  beforeAll(async () => {
    const robot = await actor(server, 'robot@example.com');
    const grantResult = await request(`${server.url}/projects/${projectId}/user-access`, {
      headers: admin.headers,
      json: [{ user_id: robot.userId, permissions: ['viewer', 'development:contributor'] }],
    });
    expect(grantResult.status).toBe(204);
    machineEnv = ciEnv(server, { PIER_CLI_TOKEN: await createApiToken(server, 'robot@example.com', 'ci'), PIER_PROJECT: projectId });
    const branched = await runCli(['environment:branch', 'feature-a', 'main', '--type', 'development'], { env: adminEnv });
    expect(branched.code).toBe(0);
  });

  it('is refused with exit 6 and the missing permission named', async () => {
    const audit = await runCli(['audit:list'], { env: machineEnv });
    expect(audit.code).toBe(6);
    expect(audit.stderr).toContain('Permission denied:');
    expect(audit.stderr).toContain('Missing permission: admin');
    const deactivate = await runCli(['environment:deactivate', 'feature-a'], { env: machineEnv });
    expect(deactivate.code).toBe(6);
    expect(deactivate.stderr).toContain('Missing permission: development:admin');
  });

  it('appears in audit:list as itself, with the name of its token, in every format', async () => {
    expect((await runCli(['environment:branch', 'robot-work', 'feature-a'], { env: machineEnv })).code).toBe(0);
    const table = await pier('audit:list');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[1]).toMatch(/^\| time +\| actor +\| auth +\| action +\| target +\|$/);
    const csv = (await pier('audit:list', '--format', 'csv', '--no-header', '-c', 'actor,auth,action', '--limit', '1')).stdout;
    expect(csv).toBe('robot@example.com,api_token (ci),environment.branch\n');
    expect((await pier('audit:list', '--format', 'tsv', '-c', 'actor,action')).stdout).toContain(`${ADMIN_EMAIL}\tinvitation.create\n`);
    expect((await pier('audit:list', '--format', 'plain', '-c', 'time', '--date-fmt', 'Y', '--limit', '1')).stdout).toMatch(/^time\n\d{4}\n$/);
    const mine = JSON.parse((await runCli(['audit:list', '--mine', '--format', 'json'], { env: machineEnv })).stdout) as Record<string, unknown>[];
    expect(mine[0]).toMatchObject({ actor: 'robot@example.com', auth: 'api_token (ci)', action: 'environment.branch', target: expect.stringMatching(/^environment:/) });
  });
});
