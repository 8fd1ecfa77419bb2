import type { InProcessServer } from '../in-process.js';
import { rawRequest } from '../api-client.js';
import { bearer, cliClient } from '../http.js';
import { actorInProcess, createProjectInProcess, exchangeInProcess, grantInProcess } from '../in-process-actors.js';
import { ADMIN_EMAIL, createApiToken } from '../pier-server.js';
import type { FuzzPools } from './openapi-requests.js';

/**
 * A project with something of every kind (environments, variables, an activity, a backup, an
 * invitation), so generated requests with real ids reach the handlers and not only the 404s.
 */
export async function fuzzFixture(server: InProcessServer): Promise<FuzzPools> {
  const admin = await actorInProcess(server, ADMIN_EMAIL, { existing: true, tokenName: 'fuzzer' });
  const viewer = await actorInProcess(server, 'fuzz-viewer@example.com');
  const projectId = await createProjectInProcess(server, admin, 'Fuzzed');
  const disposableProjectId = await createProjectInProcess(server, admin, 'Deleted by the fuzzer');
  const project = `/projects/${projectId}`;
  await grantInProcess(server, admin, projectId, viewer, ['viewer', 'development:viewer']);
  const as = (path: string, json: unknown) => rawRequest(server, path, { headers: admin.headers, json });
  await as(`${project}/environments/main/branch`, { name: 'dev' });
  await as(`${project}/variables`, { name: 'shared', value: 'v' });
  await as(`${project}/environments/dev/variables`, { name: 'env:DEV', value: '{"a":1}', is_json: true });
  const backup = await rawRequest<{ _embedded: { activities: Array<{ id: string; payload: { backup_name: string } }> } }>(server, `${project}/environments/dev/backup`, {
    headers: admin.headers,
    json: {},
  });
  const activity = backup.body._embedded.activities[0]!;
  const invitation = await as(`${project}/invitations`, { email: 'fuzz-invitee@example.com' });
  const disposableToken = await as('/users/me/api-tokens', { name: 'deleted by the fuzzer' });
  const viewerToken = await exchangeInProcess(server, await createApiToken(server, 'fuzz-viewer@example.com', 'fuzzer'));
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
