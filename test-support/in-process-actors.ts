/**
 * Users, tokens, projects and grants on an in-process server. Users and API tokens are made the way
 * `pier-server user:create` / `user:create-token` make them (the stores, no child process); every
 * credential then goes through the real token exchange and every change through the API.
 */
import { expiryForNewToken, generatePassword, hashPassword } from './server-dist.js';
import type { InProcessServer } from './in-process.js';
import { apiAs } from './api-client.js';
import { bearer, cliClient } from './http.js';
import type { TestActor } from './actors.js';

export type { TestActor } from './actors.js';

/** What `pier-server user:create EMAIL [--admin]` does; returns the new user's id. */
export async function createUserInProcess(server: InProcessServer, email: string, admin = false): Promise<string> {
  const passwordHash = await hashPassword(generatePassword());
  return (await server.services.users.create({ email, passwordHash, isAdmin: admin, emailVerified: true })).id;
}

/** What `pier-server user:create-token EMAIL --name NAME` does; returns the API token. */
export async function createApiTokenInProcess(server: InProcessServer, email: string, name: string): Promise<string> {
  const user = await server.services.users.findByEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  const expiresAt = expiryForNewToken(null, server.services.config.apiTokenMaxLifetime);
  return (await server.services.apiTokens.create(user.id, name, expiresAt?.toISOString() ?? null)).token;
}

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
  if (!options.existing) await createUserInProcess(server, email, options.admin ?? false);
  const headers = bearer(await exchangeInProcess(server, await createApiTokenInProcess(server, email, options.tokenName ?? `token-of-${email}`)));
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
