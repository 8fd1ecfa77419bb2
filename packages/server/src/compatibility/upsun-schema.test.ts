/**
 * Every GET that Pier shares with the Upsun API answers with a body that validates (ajv) against
 * the reference document's response schema: types, formats, enums, nullability, required fields.
 * The shared routes come from both documents, so a new shared route without a sample fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv, type AnySchema } from 'ajv';
import addFormats from 'ajv-formats';
import { ADMIN_EMAIL, createApiToken, createUser, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess } from '../../../../test-support/in-process-actors.js';
import { commitToRepository } from '../../../../test-support/repositories.js';
import { PlatformshClient, type Json } from '../../../../test-support/platformsh-client.js';
import { loadUpsunReference } from '../../../../test-support/upsun-reference.js';

const reference = loadUpsunReference();
const shape = (route: string) => route.replace(/\{[^}]+\}/g, '{}');

function responseSchemaPointer(route: string): string {
  const responses = reference.paths[route].get.responses as Json;
  const status = responses['200'] ? '200' : 'default';
  const escaped = route.replace(/~/g, '~0').replace(/\//g, '~1');
  return `upsun#/paths/${escaped}/get/responses/${status}/content/application~1json/schema`;
}

describe.each(databaseKinds())('Upsun schema conformance of the shared GET endpoints (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_VENDOR: 'platformsh' }, worker: true });
  const samples = new Map<string, string>();
  let cli: PlatformshClient;

  beforeAll(async () => {
    const owner = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectInProcess(ctx.server, owner, 'Schema');
    const bot = await actorInProcess(ctx.server, `bot-${kind}@example.com`);
    await grantInProcess(ctx.server, owner, projectId, bot, ['viewer', 'development:contributor']);
    // As arrangeProjectCode does: asking for the project's code makes its repository.
    await rawRequest(ctx.server, `/projects/${projectId}/environments/main/source-operations`, { headers: owner.headers });
    commitToRepository(ctx.server, projectId, 'main', { '.platform.app.yaml': 'name: app\nsource:\n  operations:\n    update:\n      command: "true"\n' });
    cli = new PlatformshClient(ctx.server.url, ctx.server);
    await cli.login(await createApiToken(ctx.server, ADMIN_EMAIL, 'schema'));
    const project = `/projects/${projectId}`;
    const main = `${project}/environments/main`;
    await cli.call('POST', `${main}/branch`, { name: 'dev', title: 'Dev', type: 'development' });
    await cli.call('POST', `${project}/variables`, { name: 'shared', value: 'v', visible_build: true });
    await cli.call('POST', `${main}/variables`, { name: 'env:TOKEN', value: 'secret', is_sensitive: true });
    await cli.call('POST', `${project}/invitations`, { email: `invitee-${kind}@example.com`, role: 'viewer', permissions: [{ type: 'development', role: 'admin' }] });
    await createUser(ctx.server, `unused-${kind}@example.com`);
    const backup = await cli.call<Json>('POST', `${main}/backup`, { safe: true });
    const activityId = String(backup.body._embedded.activities[0].id);
    for (let i = 0; i < 300 && (await cli.get(`${project}/activities/${activityId}`)).completion_percent < 100; i++) await new Promise((r) => setTimeout(r, 100));
    const tokens = await cli.get<Json[]>('/users/me/api-tokens');
    const access = await cli.get(`/users/${cli.myUserId()}/extended-access?filter[resource_type]=project`);
    const userAccess = (await cli.call<Json>('GET', `${project}/user-access`)).body;
    const ref = (links: Json, rel: string) => String(links._links[rel].href);

    for (const [route, url] of Object.entries({
      '/me': '/me',
      '/users/me': '/users/me',
      '/users/{user_id}': `/users/${bot.userId}`,
      '/users/{user_id}/api-tokens': '/users/me/api-tokens',
      '/users/{user_id}/api-tokens/{token_id}': `/users/me/api-tokens/${tokens[0]!.id}`,
      '/users/{user_id}/extended-access': `/users/${cli.myUserId()}/extended-access?filter[resource_type]=project`,
      '/ref/projects': ref(access, 'ref:projects:0'),
      '/ref/organizations': ref(access, 'ref:organizations:0'),
      '/ref/users': ref(userAccess, 'ref:users:0'),
      '/projects/{projectId}': project,
      '/projects/{projectId}/environments': `${project}/environments`,
      '/projects/{projectId}/environments/{environmentId}': main,
      '/projects/{projectId}/environment-types': `${project}/environment-types`,
      '/projects/{projectId}/environment-types/{environmentTypeId}': `${project}/environment-types/staging`,
      '/projects/{project_id}/user-access': `${project}/user-access`,
      '/projects/{project_id}/user-access/{user_id}': `${project}/user-access/${bot.userId}`,
      '/projects/{project_id}/invitations': `${project}/invitations`,
      '/projects/{projectId}/variables': `${project}/variables`,
      '/projects/{projectId}/variables/{projectVariableId}': `${project}/variables/shared`,
      '/projects/{projectId}/environments/{environmentId}/variables': `${main}/variables`,
      '/projects/{projectId}/environments/{environmentId}/variables/{variableId}': `${main}/variables/${encodeURIComponent('env:TOKEN')}`,
      '/projects/{projectId}/activities': `${project}/activities`,
      '/projects/{projectId}/activities/{activityId}': `${project}/activities/${activityId}`,
      '/projects/{projectId}/environments/{environmentId}/activities': `${main}/activities`,
      '/projects/{projectId}/environments/{environmentId}/activities/{activityId}': `${main}/activities/${activityId}`,
      '/projects/{projectId}/environments/{environmentId}/backups': `${main}/backups`,
      '/projects/{projectId}/environments/{environmentId}/backups/{backupId}': `${main}/backups/${String(backup.body._embedded.activities[0].payload.backup_name)}`,
      '/projects/{projectId}/environments/{environmentId}/source-operations': `${main}/source-operations`,
    })) {
      samples.set(route, url);
    }
  }, 120_000);

  it('has a sample for every GET route both documents have', async () => {
    const pier = (await rawRequest<{ paths: Record<string, Json> }>(ctx.server, '/openapi.json')).body;
    const pierGets = new Set(Object.entries(pier.paths).filter(([, ops]) => ops.get).map(([route]) => shape(route)));
    const shared = Object.keys(reference.paths).filter((route) => reference.paths[route].get && pierGets.has(shape(route)));
    expect(shared.sort()).toEqual([...samples.keys()].sort());
  });

  it('answers every shared GET with a body of the reference type', async () => {
    const ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));
    ajv.addFormat('ulid', /^[0-9A-HJKMNP-TV-Z]{26}$/);
    for (const numeric of ['float', 'double', 'int32', 'int64']) ajv.addFormat(numeric, { type: 'number', validate: () => true });
    ajv.addSchema(reference as AnySchema, 'upsun');
    const failures: string[] = [];
    for (const [route, url] of samples) {
      const response = await cli.call('GET', url);
      const validate = ajv.compile({ $ref: responseSchemaPointer(route) });
      if (response.status !== 200) failures.push(`${route}: HTTP ${response.status}`);
      else if (!validate(response.body)) failures.push(`${route}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
      else if (Array.isArray(response.body) ? response.body.length === 0 : Object.keys(response.body as Json).length === 0) failures.push(`${route}: empty sample`);
    }
    console.info(`Upsun schema: ${samples.size - failures.length} of ${samples.size} shared GET endpoints conformant`);
    expect(failures).toEqual([]);
  });
});
