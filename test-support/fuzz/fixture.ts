import { ADMIN_EMAIL, createApiToken, exchange, type PierServer } from '../pier-server.js';
import { bearer, cliClient, request } from '../http.js';
import { actor, createProjectAs, grant } from '../actors.js';
import type { FuzzPools } from './openapi-requests.js';

/**
 * A project with something of every kind (environments, variables, an activity, a backup, an
 * invitation), so generated requests with real ids reach the handlers and not only the 404s.
 */
export async function fuzzFixture(server: PierServer): Promise<FuzzPools> {
  const admin = await actor(server, ADMIN_EMAIL, { existing: true, tokenName: 'fuzzer' });
  const viewer = await actor(server, 'fuzz-viewer@example.com');
  const projectId = await createProjectAs(server, admin, 'Fuzzed');
  const disposableProjectId = await createProjectAs(server, admin, 'Deleted by the fuzzer');
  const project = `${server.url}/projects/${projectId}`;
  await grant(server, admin, projectId, viewer, ['viewer', 'development:viewer']);
  await request(`${project}/environments/main/branch`, { headers: admin.headers, json: { name: 'dev' } });
  await request(`${project}/variables`, { headers: admin.headers, json: { name: 'shared', value: 'v' } });
  await request(`${project}/environments/dev/variables`, { headers: admin.headers, json: { name: 'env:DEV', value: '{"a":1}', is_json: true } });
  const backup = await request<{ _embedded: { activities: Array<{ id: string; payload: { backup_name: string } }> } }>(`${project}/environments/dev/backup`, {
    headers: admin.headers,
    json: {},
  });
  const activity = backup.body._embedded.activities[0]!;
  const invitation = await request(`${server.url}/projects/${projectId}/invitations`, { headers: admin.headers, json: { email: 'fuzz-invitee@example.com' } });
  const disposableToken = await request(`${server.url}/users/me/api-tokens`, { headers: admin.headers, json: { name: 'deleted by the fuzzer' } });
  const viewerToken = await exchange(server.url, await createApiToken(server, 'fuzz-viewer@example.com', 'fuzzer'));
  const adminToken = admin.headers.authorization!.replace(/^Bearer /, '');

  return {
    pathValues: {
      user_id: ['me', admin.userId, viewer.userId],
      token_id: [String(disposableToken.body.id)],
      projectId: [projectId],
      project_id: [projectId],
      environmentId: ['main', 'dev'],
      environmentTypeId: ['production', 'staging', 'development'],
      invitation_id: [String(invitation.body.id)],
      projectVariableId: ['shared'],
      variableId: ['env:DEV'],
      activityId: [activity.id],
      backupId: [activity.payload.backup_name],
      cronName: ['nightly'],
      token: ['not-an-invitation-token'],
    },
    destructivePathValues: { projectId: [disposableProjectId] },
    validAuthorizations: [admin.headers.authorization!, admin.headers.authorization!, admin.headers.authorization!, bearer(viewerToken).authorization!, cliClient.authorization],
    oddAuthorizations: [
      '',
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'bearer ' + 'x'.repeat(5_000),
      `Bearer ${adminToken.slice(0, -2)}`,
      `Bearer ${adminToken}x`,
      'Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0.',
      'Basic !!!',
      'Basic Og==',
      'Digest username="x"',
    ],
  };
}
