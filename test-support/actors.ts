import { createApiToken, createUser, exchange, type PierServer } from './pier-server.js';
import { bearer, request } from './http.js';
import { apiAs } from './api-client.js';

export interface TestActor {
  email: string;
  userId: string;
  headers: Record<string, string>;
}

/** Creates a user with an API token and returns their bearer headers (real exchange). */
export async function actor(
  server: PierServer,
  email: string,
  options: { admin?: boolean; existing?: boolean; tokenName?: string } = {},
): Promise<TestActor> {
  if (!options.existing) await createUser(server, email, options.admin ?? false);
  const headers = bearer(await exchange(server.url, await createApiToken(server, email, options.tokenName ?? `token-of-${email}`)));
  const me = await request(`${server.url}/users/me`, { headers });
  if (me.status !== 200) throw new Error(`could not authenticate ${email}: ${me.status}`);
  return { email, userId: String(me.body.id), headers };
}

export async function createProjectAs(server: Pick<PierServer, 'url'>, owner: TestActor, title: string): Promise<string> {
  const { response, data, error } = await apiAs(server, owner.headers).POST('/projects', { body: { title } });
  if (response.status !== 201 || !data) throw new Error(`project creation failed: ${response.status} ${JSON.stringify(error)}`);
  return data._embedded.entity!.id;
}

export async function grant(server: Pick<PierServer, 'url'>, admin: TestActor, projectId: string, user: TestActor, permissions: string[]): Promise<void> {
  const response = await request(`${server.url}/projects/${projectId}/user-access`, {
    headers: admin.headers,
    json: [{ user_id: user.userId, permissions }],
  });
  if (response.status !== 204) throw new Error(`grant failed: ${response.status} ${JSON.stringify(response.body)}`);
}
