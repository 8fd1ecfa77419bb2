/**
 * Every route × every kind of caller: asserts allow/deny and the action links shown. The route
 * list comes from the server's own OpenAPI document, so a new route without a row fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PierClient } from '@pier/api';
import { ADMIN_EMAIL, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer, type InProcessServer } from '../../../../test-support/in-process.js';
import { apiAs, rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';
import { waitForActivityInProcess } from '../../../../test-support/activities.js';

const roles = ['instanceAdmin', 'projectAdmin', 'devContributor', 'prodAdmin', 'viewer', 'outsider', 'revoked', 'anonymous'] as const;
type Role = (typeof roles)[number];
type Expectation = Record<Role, number>;
const members: Role[] = ['instanceAdmin', 'projectAdmin', 'devContributor', 'prodAdmin', 'viewer'];

const everyone = (status: number): Expectation => Object.fromEntries(roles.map((r) => [r, status])) as Expectation;
const authenticated = (status: number): Expectation => ({ ...everyone(status), revoked: 401, anonymous: 401 });
/** Allowed roles get `ok`, other members 403, outsiders 404 (projects are invisible to them). */
const inProject = (ok: number, allowed: Role[]): Expectation => ({
  ...authenticated(403),
  ...Object.fromEntries(members.map((r) => [r, allowed.includes(r) ? ok : 403])),
  outsider: 404,
});
const admins: Role[] = ['instanceAdmin', 'projectAdmin'];
const productionViewers: Role[] = [...admins, 'prodAdmin'];

interface Fixture {
  server: InProcessServer;
  projectId: string;
  owner: TestActor;
  actors: Record<Exclude<Role, 'anonymous'>, TestActor>;
  pool: string[];
  devActivity: string;
  devBackup: string;
  /** Finished backups of dev, one per deletion attempt. */
  finishedBackups: string[];
}

interface Attempt {
  path: string;
  json?: unknown;
  form?: Record<string, string>;
  /** Overrides the role's own headers (public endpoints). */
  anonymous?: boolean;
}

interface Row {
  method: string;
  route: string;
  expect: Expectation;
  attempt(fixture: Fixture, role: Role, index: number): Promise<Attempt> | Attempt;
}

const rows: Row[] = [
  { method: 'GET', route: '/healthz', expect: everyone(200), attempt: () => ({ path: '/healthz' }) },
  { method: 'GET', route: '/readyz', expect: everyone(200), attempt: () => ({ path: '/readyz' }) },
  { method: 'GET', route: '/oauth2/jwks', expect: everyone(200), attempt: () => ({ path: '/oauth2/jwks' }) },
  { method: 'POST', route: '/oauth2/token', expect: everyone(400), attempt: () => ({ path: '/oauth2/token', anonymous: true, form: { grant_type: 'api_token', api_token: 'wrong', client_id: 'pier-cli' } }) },
  { method: 'POST', route: '/oauth2/revoke', expect: everyone(200), attempt: () => ({ path: '/oauth2/revoke', anonymous: true, form: { token: 'unknown', client_id: 'pier-cli' } }) },
  { method: 'POST', route: '/auth/login', expect: everyone(401), attempt: () => ({ path: '/auth/login', anonymous: true, json: { email: 'nobody@example.com', password: 'wrong' } }) },
  { method: 'GET', route: '/auth/session', expect: everyone(401), attempt: () => ({ path: '/auth/session', anonymous: true }) },
  { method: 'POST', route: '/auth/logout', expect: everyone(204), attempt: () => ({ path: '/auth/logout', anonymous: true }) },
  { method: 'GET', route: '/invitations/{token}', expect: everyone(404), attempt: () => ({ path: '/invitations/not-a-real-invitation-token', anonymous: true }) },
  { method: 'POST', route: '/invitations/{token}/accept', expect: everyone(404), attempt: () => ({ path: '/invitations/not-a-real-invitation-token/accept', anonymous: true, json: { password: 'long enough password' } }) },

  { method: 'GET', route: '/users/me', expect: authenticated(200), attempt: () => ({ path: '/users/me' }) },
  { method: 'GET', route: '/users/me/audit', expect: authenticated(200), attempt: () => ({ path: '/users/me/audit' }) },
  {
    method: 'GET',
    route: '/users/{user_id}',
    expect: { ...authenticated(403), instanceAdmin: 200 },
    attempt: (f) => ({ path: `/users/${f.owner.userId}` }),
  },
  { method: 'GET', route: '/users/{user_id}/api-tokens', expect: authenticated(200), attempt: () => ({ path: '/users/me/api-tokens' }) },
  { method: 'POST', route: '/users/{user_id}/api-tokens', expect: authenticated(201), attempt: (_f, role, i) => ({ path: '/users/me/api-tokens', json: { name: `matrix-${role}-${i}` } }) },
  {
    method: 'GET',
    route: '/users/{user_id}/api-tokens/{token_id}',
    expect: authenticated(200),
    attempt: async (f, role) => ({ path: `/users/me/api-tokens/${await ownTokenId(f, role)}` }),
  },
  {
    method: 'DELETE',
    route: '/users/{user_id}/api-tokens/{token_id}',
    expect: authenticated(204),
    attempt: async (f, role, i) => ({ path: `/users/me/api-tokens/${await newOwnTokenId(f, role, i)}` }),
  },
  // Trust policies of another user (the instance admin who owns the project): only instance admins.
  { method: 'GET', route: '/users/{user_id}/trust-policies', expect: { ...authenticated(403), instanceAdmin: 200 }, attempt: (f) => ({ path: `/users/${f.owner.userId}/trust-policies` }) },
  {
    method: 'POST',
    route: '/users/{user_id}/trust-policies',
    expect: { ...authenticated(403), instanceAdmin: 201 },
    attempt: (f, role, i) => ({ path: `/users/${f.owner.userId}/trust-policies`, json: trustPolicyBody(`matrix-${role}-${i}`) }),
  },
  {
    method: 'GET',
    route: '/users/{user_id}/trust-policies/{policy_id}',
    expect: { ...authenticated(403), instanceAdmin: 200 },
    attempt: async (f, _role, i) => ({ path: `/users/${f.owner.userId}/trust-policies/${await ownerTrustPolicyId(f, `read-${i}`)}` }),
  },
  {
    method: 'DELETE',
    route: '/users/{user_id}/trust-policies/{policy_id}',
    expect: { ...authenticated(403), instanceAdmin: 204 },
    attempt: async (f, _role, i) => ({ path: `/users/${f.owner.userId}/trust-policies/${await ownerTrustPolicyId(f, `disposable-${i}`)}` }),
  },
  {
    method: 'POST',
    route: '/users/{user_id}/api-tokens/{token_id}/rotate',
    expect: { ...authenticated(200), revoked: 401, anonymous: 401 },
    attempt: async (f, role, i) => {
      if (role === 'anonymous' || role === 'revoked') return { path: '/users/me/api-tokens/00000000-0000-0000-0000-000000000000/rotate', json: { overlap_seconds: 0 } };
      const { data: created } = await api(f, f.actors[role]).POST('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } }, body: { name: `rotatable-${i}` } });
      return { path: `/users/me/api-tokens/${created!.id}/rotate`, json: { overlap_seconds: 0 } };
    },
  },
  {
    method: 'GET',
    route: '/users/email={email}',
    expect: { ...authenticated(403), instanceAdmin: 200 },
    attempt: () => ({ path: `/users/email=${encodeURIComponent('pool0@example.com')}` }),
  },
  {
    method: 'POST',
    route: '/users/{user_id}/deactivate',
    expect: { ...authenticated(403), instanceAdmin: 200 },
    attempt: (f, _role, i) => ({ path: `/users/${f.pool[2 * roles.length + i]!}/deactivate` }),
  },
  {
    method: 'POST',
    route: '/users/{user_id}/reactivate',
    expect: { ...authenticated(403), instanceAdmin: 200 },
    attempt: (f, _role, i) => ({ path: `/users/${f.pool[3 * roles.length + i]!}/reactivate` }),
  },
  {
    method: 'GET',
    route: '/auth/check',
    expect: { ...authenticated(200), outsider: 404 },
    attempt: (f) => ({ path: `/auth/check?action=environment:backup&project=${f.projectId}&environment=main` }),
  },
  {
    method: 'GET',
    route: '/users/{user_id}/extended-access',
    expect: { ...authenticated(403), instanceAdmin: 200 },
    attempt: (f) => ({ path: `/users/${f.owner.userId}/extended-access` }),
  },
  {
    method: 'GET',
    route: '/ref/projects',
    expect: authenticated(200),
    attempt: async (f, role) => {
      const a = role === 'anonymous' || role === 'revoked' ? f.owner : f.actors[role];
      const { data: access } = await api(f, a).GET('/users/{user_id}/extended-access', { params: { path: { user_id: 'me' } } });
      const href = access?._links['ref:projects:0']?.href ?? '';
      return { path: href.slice(href.indexOf('/ref/')) };
    },
  },

  {
    method: 'GET',
    route: '/ref/users',
    expect: authenticated(200),
    attempt: (f) => signedLink(f, f.owner, `/projects/${f.projectId}/user-access`, 'ref:users:0'),
  },
  {
    method: 'GET',
    route: '/ref/organizations',
    expect: authenticated(200),
    attempt: (f) => signedLink(f, f.owner, '/users/me/extended-access', 'ref:organizations:0'),
  },
  {
    method: 'GET',
    route: '/organizations/{organization_id}',
    expect: authenticated(200),
    attempt: async (f) => {
      const { data: project } = await api(f, f.owner).GET('/projects/{projectId}', { params: { path: { projectId: f.projectId } } });
      return { path: `/organizations/${project!.organization}` };
    },
  },
  { method: 'GET', route: '/me', expect: authenticated(200), attempt: () => ({ path: '/me' }) },

  { method: 'GET', route: '/projects', expect: authenticated(200), attempt: () => ({ path: '/projects' }) },
  {
    method: 'POST',
    route: '/projects',
    expect: { ...authenticated(403), instanceAdmin: 201 },
    attempt: (_f, role) => ({ path: '/projects', json: { title: `Created by ${role}` } }),
  },
  { method: 'GET', route: '/projects/{projectId}', expect: inProject(200, members), attempt: (f) => ({ path: `/projects/${f.projectId}` }) },
  { method: 'PATCH', route: '/projects/{projectId}', expect: inProject(200, admins), attempt: (f) => ({ path: `/projects/${f.projectId}`, json: { title: 'Matrix' } }) },
  {
    method: 'DELETE',
    route: '/projects/{projectId}',
    // Its owner's call: the owner here is the instance admin who created it.
    expect: inProject(200, ['instanceAdmin']),
    attempt: async (f, role) => ({ path: `/projects/${await disposableProject(f, role)}` }),
  },
  { method: 'GET', route: '/projects/{projectId}/environments', expect: inProject(200, members), attempt: (f) => ({ path: `/projects/${f.projectId}/environments` }) },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev` }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/settings',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/settings` }),
  },
  {
    method: 'PATCH',
    route: '/projects/{projectId}/environments/{environmentId}',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'prodAdmin']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/main`, json: { title: 'Main' } }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/branch',
    expect: inProject(201, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f, role, i) => ({ path: `/projects/${f.projectId}/environments/dev/branch`, json: { name: `feature/${role}-${i}` } }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/deactivate',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin']),
    attempt: async (f, role, i) => ({ path: `/projects/${f.projectId}/environments/${await disposableEnvironment(f, `off-${role}-${i}`, false)}/deactivate` }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/activate',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin']),
    attempt: async (f, role, i) => ({ path: `/projects/${f.projectId}/environments/${await disposableEnvironment(f, `on-${role}-${i}`, true)}/activate` }),
  },
  { method: 'GET', route: '/projects/{projectId}/environment-types', expect: inProject(200, members), attempt: (f) => ({ path: `/projects/${f.projectId}/environment-types` }) },
  {
    method: 'GET',
    route: '/projects/{projectId}/environment-types/{environmentTypeId}',
    expect: inProject(200, members),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environment-types/staging` }),
  },
  { method: 'GET', route: '/projects/{project_id}/access', expect: inProject(200, members), attempt: (f) => ({ path: `/projects/${f.projectId}/access` }) },
  {
    method: 'GET',
    route: '/projects/{project_id}/access/{user_id}',
    expect: inProject(200, members),
    attempt: (f) => ({ path: `/projects/${f.projectId}/access/${f.actors.viewer.userId}` }),
  },
  { method: 'GET', route: '/projects/{project_id}/user-access', expect: inProject(200, members), attempt: (f) => ({ path: `/projects/${f.projectId}/user-access` }) },
  {
    method: 'POST',
    route: '/projects/{project_id}/user-access',
    expect: inProject(204, admins),
    attempt: (f, _role, i) => ({ path: `/projects/${f.projectId}/user-access`, json: [{ user_id: f.pool[i]!, permissions: ['viewer'] }] }),
  },
  {
    method: 'GET',
    route: '/projects/{project_id}/user-access/{user_id}',
    expect: inProject(200, members),
    attempt: (f) => ({ path: `/projects/${f.projectId}/user-access/${f.actors.viewer.userId}` }),
  },
  {
    method: 'PATCH',
    route: '/projects/{project_id}/user-access/{user_id}',
    expect: inProject(204, admins),
    attempt: (f) => ({ path: `/projects/${f.projectId}/user-access/${f.actors.viewer.userId}`, json: { permissions: ['viewer'] } }),
  },
  {
    method: 'DELETE',
    route: '/projects/{project_id}/user-access/{user_id}',
    expect: inProject(204, admins),
    attempt: async (f, _role, i) => {
      const target = f.pool[roles.length + i]!;
      await api(f, f.owner).POST('/projects/{project_id}/user-access', { params: { path: { project_id: f.projectId } }, body: [{ user_id: target, permissions: ['viewer'] }] });
      return { path: `/projects/${f.projectId}/user-access/${target}` };
    },
  },
  {
    method: 'POST',
    route: '/projects/{project_id}/invitations',
    expect: inProject(201, admins),
    attempt: (f, role, i) => ({ path: `/projects/${f.projectId}/invitations`, json: { email: `invitee-${role}-${i}@example.com`, role: 'viewer' } }),
  },
  { method: 'GET', route: '/projects/{project_id}/invitations', expect: inProject(200, admins), attempt: (f) => ({ path: `/projects/${f.projectId}/invitations` }) },
  {
    method: 'DELETE',
    route: '/projects/{project_id}/invitations/{invitation_id}',
    expect: inProject(204, admins),
    attempt: async (f, role, i) => {
      const { data: created } = await api(f, f.owner).POST('/projects/{project_id}/invitations', {
        params: { path: { project_id: f.projectId } },
        body: { email: `cancel-${role}-${i}@example.com` },
      });
      return { path: `/projects/${f.projectId}/invitations/${created!.id}` };
    },
  },
  { method: 'GET', route: '/projects/{project_id}/audit', expect: inProject(200, admins), attempt: (f) => ({ path: `/projects/${f.projectId}/audit` }) },

  // Project variables reach production: reading them needs what reading them there needs.
  { method: 'GET', route: '/projects/{projectId}/variables', expect: inProject(200, productionViewers), attempt: (f) => ({ path: `/projects/${f.projectId}/variables` }) },
  {
    method: 'POST',
    route: '/projects/{projectId}/variables',
    expect: inProject(201, admins),
    attempt: (f, role, i) => ({ path: `/projects/${f.projectId}/variables`, json: { name: `new_${role}_${i}`, value: 'v' } }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/variables/{projectVariableId}',
    expect: inProject(200, productionViewers),
    attempt: (f) => ({ path: `/projects/${f.projectId}/variables/shared` }),
  },
  {
    method: 'PATCH',
    route: '/projects/{projectId}/variables/{projectVariableId}',
    expect: inProject(200, admins),
    attempt: (f) => ({ path: `/projects/${f.projectId}/variables/shared`, json: { value: 'changed' } }),
  },
  {
    method: 'DELETE',
    route: '/projects/{projectId}/variables/{projectVariableId}',
    expect: inProject(200, admins),
    attempt: async (f, role, i) => {
      await api(f, f.owner).POST('/projects/{projectId}/variables', { params: { path: { projectId: f.projectId } }, body: { name: `gone_${role}_${i}`, value: 'v' } });
      return { path: `/projects/${f.projectId}/variables/gone_${role}_${i}` };
    },
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/variables',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/variables` }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/variables',
    expect: inProject(201, admins),
    attempt: (f, role, i) => ({ path: `/projects/${f.projectId}/environments/dev/variables`, json: { name: `env:NEW_${role}_${i}`, value: 'v' } }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/variables/{variableId}',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/variables/${encodeURIComponent('env:DEV_ONLY')}` }),
  },
  {
    method: 'PATCH',
    route: '/projects/{projectId}/environments/{environmentId}/variables/{variableId}',
    expect: inProject(200, admins),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/variables/${encodeURIComponent('env:DEV_ONLY')}`, json: { value: 'changed' } }),
  },
  {
    method: 'DELETE',
    route: '/projects/{projectId}/environments/{environmentId}/variables/{variableId}',
    expect: inProject(200, admins),
    attempt: async (f, role, i) => {
      const name = `env:GONE_${role}_${i}`;
      await api(f, f.owner).POST('/projects/{projectId}/environments/{environmentId}/variables', {
        params: { path: { projectId: f.projectId, environmentId: 'dev' } },
        body: { name, value: 'v' },
      });
      return { path: `/projects/${f.projectId}/environments/dev/variables/${encodeURIComponent(name)}` };
    },
  },
  { method: 'GET', route: '/ssh/authority', expect: everyone(200), attempt: () => ({ path: '/ssh/authority' }) },
  { method: 'POST', route: '/ssh', expect: authenticated(200), attempt: () => ({ path: '/ssh', json: { key: sshPublicKey } }) },

  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/source-operations',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/source-operations` }),
  },
  {
    // Allowed callers pass the permission check and learn the operation does not exist.
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/source-operation',
    expect: inProject(404, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/source-operation`, json: { operation: 'none-defined' } }),
  },

  { method: 'GET', route: '/cli/install.sh', expect: everyone(200), attempt: () => ({ path: '/cli/install.sh' }) },
  { method: 'GET', route: '/cli/cli.cjs', expect: everyone(200), attempt: () => ({ path: '/cli/cli.cjs' }) },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/crons',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/crons` }),
  },
  {
    // Allowed callers pass the permission check and learn dev has no deployed cron of that name.
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/crons/{cronName}/run',
    expect: inProject(404, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/crons/nightly/run` }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/redeploy',
    expect: inProject(202, admins),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/redeploy` }),
  },

  // Activities: instant ones exist from the setup (variables, access); `devActivity` runs on dev.
  { method: 'GET', route: '/projects/{projectId}/activities', expect: inProject(200, members), attempt: (f) => ({ path: `/projects/${f.projectId}/activities` }) },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/activities',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/activities` }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/activities/{activityId}',
    expect: { ...inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']), prodAdmin: 404, viewer: 404 },
    attempt: (f) => ({ path: `/projects/${f.projectId}/activities/${f.devActivity}` }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/activities/{activityId}',
    expect: { ...inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']), prodAdmin: 404, viewer: 404 },
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/activities/${f.devActivity}` }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/activities/{activityId}/log',
    expect: { ...inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']), prodAdmin: 404, viewer: 404 },
    attempt: (f) => ({ path: `/projects/${f.projectId}/activities/${f.devActivity}/log` }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/activities/{activityId}/cancel',
    expect: { ...inProject(200, admins), prodAdmin: 404, viewer: 404 },
    attempt: async (f) => ({ path: `/projects/${f.projectId}/activities/${await pendingDevBackup(f)}/cancel` }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/activities/{activityId}/cancel',
    expect: { ...inProject(200, admins), prodAdmin: 404, viewer: 404 },
    attempt: async (f) => ({ path: `/projects/${f.projectId}/environments/dev/activities/${await pendingDevBackup(f)}/cancel` }),
  },

  // Backups on dev (development): environment admins only; viewers of the type may list.
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/backup',
    expect: inProject(202, admins),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/backup`, json: { safe: false } }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/backups',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/backups` }),
  },
  {
    method: 'GET',
    route: '/projects/{projectId}/environments/{environmentId}/backups/{backupId}',
    expect: inProject(200, ['instanceAdmin', 'projectAdmin', 'devContributor']),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/backups/${f.devBackup}` }),
  },
  {
    method: 'POST',
    route: '/projects/{projectId}/environments/{environmentId}/backups/{backupId}/restore',
    expect: inProject(202, admins),
    attempt: (f) => ({ path: `/projects/${f.projectId}/environments/dev/backups/${f.devBackup}/restore`, json: {} }),
  },
  {
    method: 'DELETE',
    route: '/projects/{projectId}/environments/{environmentId}/backups/{backupId}',
    expect: inProject(200, admins),
    attempt: (f, _role, i) => ({ path: `/projects/${f.projectId}/environments/dev/backups/${f.finishedBackups[i]}` }),
  },
];

// A fixed, valid Ed25519 public key (RFC 8032 test vector 1).
const sshPublicKey = `ssh-ed25519 ${Buffer.concat([
  Buffer.from([0, 0, 0, 11]),
  Buffer.from('ssh-ed25519'),
  Buffer.from([0, 0, 0, 32]),
  Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'),
]).toString('base64')} matrix`;

/** The typed client for one caller. */
function api(f: Fixture, caller: TestActor): PierClient {
  return apiAs(f.server, caller.headers);
}

/** HAL links, the part of every answer this file reads from paths chosen at run time. */
interface Linked {
  _links?: Record<string, { href: string } | undefined>;
}

/** A signed reference link taken from what `holder` reads (signed links work for whoever holds them). */
async function signedLink(f: Fixture, holder: TestActor, path: string, rel: string): Promise<Attempt> {
  const listing = await rawRequest<Linked>(f.server, path, { headers: holder.headers });
  const href = listing.body._links?.[rel]?.href ?? '';
  return { path: href.slice(href.indexOf('/ref/')) };
}

async function ownTokenId(f: Fixture, role: Role): Promise<string> {
  if (role === 'anonymous' || role === 'revoked') return '00000000-0000-0000-0000-000000000000';
  const { data: list } = await api(f, f.actors[role]).GET('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } } });
  return list![0]!.id;
}

async function newOwnTokenId(f: Fixture, role: Role, i: number): Promise<string> {
  if (role === 'anonymous' || role === 'revoked') return '00000000-0000-0000-0000-000000000000';
  const { data: created } = await api(f, f.actors[role]).POST('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } }, body: { name: `disposable-${i}` } });
  return created!.id;
}

function trustPolicyBody(name: string) {
  return { name, issuer: 'https://token.actions.githubusercontent.com', audience: 'https://pier.example.com', conditions: { repository: 'acme/app' } };
}

/** A trust policy of the owner, created by the owner, for a role's attempt to read or delete. */
async function ownerTrustPolicyId(f: Fixture, name: string): Promise<string> {
  const { data: created } = await api(f, f.owner).POST('/users/{user_id}/trust-policies', { params: { path: { user_id: 'me' } }, body: trustPolicyBody(name) });
  return created!.id;
}

const grantsByRole: Partial<Record<Role, string[]>> = {
  projectAdmin: ['admin'],
  devContributor: ['viewer', 'development:contributor'],
  prodAdmin: ['viewer', 'production:admin'],
  viewer: ['viewer'],
  revoked: ['admin'],
};

/** A backup activity on dev that stays pending: this server runs no worker during the rows. */
async function pendingDevBackup(f: Fixture): Promise<string> {
  const { data } = await api(f, f.owner).POST('/projects/{projectId}/environments/{environmentId}/backup', {
    params: { path: { projectId: f.projectId, environmentId: 'dev' } },
    body: {},
  });
  return data!._embedded.activities[0]!.id;
}

async function finishedDevBackup(f: Fixture): Promise<{ id: string; backupName: string }> {
  const { data } = await api(f, f.owner).POST('/projects/{projectId}/environments/{environmentId}/backup', {
    params: { path: { projectId: f.projectId, environmentId: 'dev' } },
    body: { safe: false },
  });
  const activity = data!._embedded.activities[0]!;
  return { id: activity.id, backupName: String(activity.payload.backup_name) };
}

async function disposableProject(f: Fixture, role: Role): Promise<string> {
  const projectId = await createProjectInProcess(f.server, f.owner, `Disposable for ${role}`);
  const permissions = grantsByRole[role];
  if (permissions && role !== 'anonymous') await grantInProcess(f.server, f.owner, projectId, f.actors[role as Exclude<Role, 'anonymous'>], permissions);
  return projectId;
}

async function disposableEnvironment(f: Fixture, name: string, deactivate: boolean): Promise<string> {
  const owner = api(f, f.owner);
  const created = await owner.POST('/projects/{projectId}/environments/{environmentId}/branch', {
    params: { path: { projectId: f.projectId, environmentId: 'dev' } },
    body: { name },
  });
  expect(created.response.status).toBe(201);
  if (deactivate) {
    const deactivated = await owner.POST('/projects/{projectId}/environments/{environmentId}/deactivate', { params: { path: { projectId: f.projectId, environmentId: name } } });
    expect(deactivated.response.status).toBe(200);
  }
  return name;
}

describe.each(databaseKinds())('authorization matrix (%s)', (kind) => {
  // Activities stay queued during the rows (so they can be cancelled); a worker runs for the setup.
  const ctx = useInProcessServer(kind, { env: { PIER_BACKUP_RETENTION: '100' } });
  const fixture = {} as Fixture;

  beforeAll(async () => {
    const server = ctx.server;
    fixture.server = server;
    fixture.owner = await actorInProcess(server, ADMIN_EMAIL, { existing: true });
    fixture.projectId = await createProjectInProcess(server, fixture.owner, 'Matrix');
    const [instanceAdmin, projectAdmin, devContributor, prodAdmin, viewer, outsider, revoked] = await Promise.all([
      actorInProcess(server, 'root2@example.com', { admin: true }),
      actorInProcess(server, 'padmin@example.com'),
      actorInProcess(server, 'bot@example.com'),
      actorInProcess(server, 'prod@example.com'),
      actorInProcess(server, 'viewer@example.com'),
      actorInProcess(server, 'outsider@example.com'),
      actorInProcess(server, 'revoked@example.com'),
    ]);
    fixture.actors = { instanceAdmin, projectAdmin, devContributor, prodAdmin, viewer, outsider, revoked };
    for (const [role, permissions] of Object.entries(grantsByRole)) {
      await grantInProcess(server, fixture.owner, fixture.projectId, fixture.actors[role as Exclude<Role, 'anonymous'>], permissions);
    }
    const owner = api(fixture, fixture.owner);
    for (const [name, type] of [['dev', 'development'], ['stage', 'staging']] as const) {
      const branched = await owner.POST('/projects/{projectId}/environments/{environmentId}/branch', {
        params: { path: { projectId: fixture.projectId, environmentId: 'main' } },
        body: { name, type },
      });
      expect(branched.response.status).toBe(201);
    }
    await owner.POST('/projects/{projectId}/variables', { params: { path: { projectId: fixture.projectId } }, body: { name: 'shared', value: 'v' } });
    await owner.POST('/projects/{projectId}/environments/{environmentId}/variables', {
      params: { path: { projectId: fixture.projectId, environmentId: 'dev' } },
      body: { name: 'env:DEV_ONLY', value: 'v' },
    });
    const backups = [];
    for (let i = 0; i <= roles.length; i++) backups.push(await finishedDevBackup(fixture));
    const worker = server.startWorker();
    for (const backup of backups) await waitForActivityInProcess(server, fixture.projectId, backup.id, fixture.owner.headers);
    await worker.stop();
    fixture.devActivity = backups[0]!.id;
    fixture.devBackup = backups[0]!.backupName;
    fixture.finishedBackups = backups.slice(1).map((b) => b.backupName);
    // The revoked caller holds an access token whose API token was deleted afterwards.
    const asRevoked = api(fixture, revoked);
    const { data: tokens } = await asRevoked.GET('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } } });
    const deleted = await asRevoked.DELETE('/users/{user_id}/api-tokens/{token_id}', { params: { path: { user_id: 'me', token_id: tokens![0]!.id } } });
    expect(deleted.response.status).toBe(204);
    // Users without access, as targets for grant and removal attempts.
    fixture.pool = await Promise.all(Array.from({ length: roles.length * 4 }, (_, i) => createUser(server, `pool${i}@example.com`)));
  }, 120_000);

  it('has a row for every route of the OpenAPI document', async () => {
    // The served document itself (a hidden route, outside the contract it describes).
    const document = await rawRequest<{ paths: Record<string, Record<string, unknown>> }>(ctx.server, '/openapi.json');
    const routes = Object.entries(document.body.paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(rows.map((r) => `${r.method} ${r.route}`).sort());
  });

  it.each(rows.map((row) => [`${row.method} ${row.route}`, row] as const))('%s', async (_label, row) => {
    const outcomes: Record<string, number> = {};
    for (const [index, role] of roles.entries()) {
      const attempt = await row.attempt(fixture, role, index);
      const headers = role === 'anonymous' || attempt.anonymous ? {} : fixture.actors[role].headers;
      // The row's path is chosen at run time, so this request goes around the typed client.
      const response = await rawRequest(fixture.server, attempt.path, {
        method: row.method,
        headers,
        ...(attempt.json !== undefined ? { json: attempt.json } : {}),
        ...(attempt.form ? { form: attempt.form } : {}),
      });
      outcomes[role] = response.status;
      if (response.status === 403) expect(response.body, `${role}: 403 names the missing permission`).toMatchObject({ error: 'forbidden' });
    }
    expect(outcomes).toEqual(row.expect);
  });

  it('shows each caller only the action links they may use', async () => {
    const linksOf = async (role: Exclude<Role, 'anonymous' | 'revoked' | 'outsider'>, path: string) => {
      const response = await rawRequest<Linked>(fixture.server, path, { headers: fixture.actors[role].headers });
      return Object.keys(response.body._links ?? {}).filter((rel) => rel.startsWith('#')).sort();
    };
    const project = `/projects/${fixture.projectId}`;
    // Only the owner or an instance admin deletes a project.
    expect(await linksOf('projectAdmin', project)).toEqual(['#edit', '#manage-access', '#manage-variables']);
    expect(await linksOf('instanceAdmin', project)).toEqual(['#delete', '#edit', '#manage-access', '#manage-variables']);
    for (const role of ['devContributor', 'prodAdmin', 'viewer'] as const) expect(await linksOf(role, project), role).toEqual([]);

    const main = `${project}/environments/main`;
    const dev = `${project}/environments/dev`;
    const readable = ['#source-operations', '#variables'];
    const everything = ['#backup', '#branch', '#deactivate', '#edit', '#manage-variables', '#redeploy', '#source-operation', ...readable].sort();
    expect(await linksOf('projectAdmin', dev)).toEqual(everything);
    expect(await linksOf('devContributor', dev)).toEqual(['#branch', '#source-operation', ...readable].sort());
    expect(await linksOf('prodAdmin', main)).toEqual(['#backup', '#branch', '#edit', '#manage-variables', '#redeploy', '#source-operation', ...readable].sort());

    const denied = await api(fixture, fixture.actors.devContributor).PATCH('/projects/{projectId}/environments/{environmentId}', {
      params: { path: { projectId: fixture.projectId, environmentId: 'dev' } },
      body: { title: 'x' },
    });
    expect(denied.response.status).toBe(403);
    expect(denied.error).toMatchObject({ detail: { missing_permission: 'development:admin' } });
    expect(String(denied.error?.message)).toContain('admin role on development environments');
  });

  it('lets a branch create only environment types the caller contributes to', async () => {
    const contributor = api(fixture, fixture.actors.devContributor);
    const branch = (type: 'staging' | 'development') =>
      contributor.POST('/projects/{projectId}/environments/{environmentId}/branch', {
        params: { path: { projectId: fixture.projectId, environmentId: 'dev' } },
        body: { name: `typed-${type}`, type },
      });
    const staging = await branch('staging');
    expect(staging.response.status).toBe(403);
    expect(staging.error).toMatchObject({ detail: { missing_permission: 'staging:contributor' } });
    const typedStaging = await api(fixture, fixture.owner).GET('/projects/{projectId}/environments/{environmentId}', {
      params: { path: { projectId: fixture.projectId, environmentId: 'typed-staging' } },
    });
    expect(typedStaging.response.status).toBe(404);
    expect((await branch('development')).response.status).toBe(201);
  });
});
