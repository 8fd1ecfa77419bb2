/**
 * Users, tokens, projects and grants on an in-process server. Users and API tokens are made by
 * `pier-server user:create` / `user:create-token` (run in process, `createUser`/`createApiToken`);
 * every credential then goes through the real token exchange and every change through the API.
 */
import { createApiToken, createUser } from './pier-server.js';
import type { InProcessServer } from './in-process.js';
import { apiAs } from './api-client.js';
import { bearer, cliClient } from './http.js';
import type { TestActor } from './actors.js';

export type { TestActor } from './actors.js';

/** Exchanges an API token for an access token at the token endpoint. */
export async function exchangeInProcess(server: InProcessServer, apiToken: string): Promise<string> {
  const { data, response } = await apiAs(server).POST('/oauth2/token', {
    body: { grant_type: 'api_token', api_token: apiToken },
    headers: { ...cliClient, 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (!data) throw new Error(`exchange failed: ${response.status}`);
  return data.access_token;
}

/** Creates a user with an API token and returns their bearer headers (real exchange). */
export async function actorInProcess(
  server: InProcessServer,
  email: string,
  options: { admin?: boolean; existing?: boolean; tokenName?: string } = {},
): Promise<TestActor> {
  if (!options.existing) await createUser(server, email, options.admin ?? false);
  const headers = bearer(await exchangeInProcess(server, await createApiToken(server, email, options.tokenName ?? `token-of-${email}`)));
  const { data, response } = await apiAs(server, headers).GET('/users/me');
  if (!data) throw new Error(`could not authenticate ${email}: ${response.status}`);
  return { email, userId: data.id, headers };
}

export async function createProjectInProcess(server: InProcessServer, owner: TestActor, title: string): Promise<string> {
  const { data, response } = await apiAs(server, owner.headers).POST('/projects', { body: { title } });
  const id = data?._embedded.entity?.id;
  if (!id) throw new Error(`project creation failed: ${response.status}`);
  return id;
}

export async function grantInProcess(server: InProcessServer, admin: TestActor, projectId: string, user: TestActor, permissions: string[]): Promise<void> {
  const { response } = await apiAs(server, admin.headers).POST('/projects/{project_id}/user-access', {
    params: { path: { project_id: projectId } },
    body: [{ user_id: user.userId, permissions }],
  });
  if (response.status !== 204) throw new Error(`grant failed: ${response.status}`);
}
