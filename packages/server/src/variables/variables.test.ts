import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PierClient } from '@pier/api';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';

/** The environment variable list answers either the variables or, with `?effective=`, the resolved set. */
function listed<T>(answer: T | object | undefined): T extends Array<unknown> ? T : never {
  if (!Array.isArray(answer)) throw new Error(`expected a list of variables, got ${JSON.stringify(answer)}`);
  return answer as never;
}
function resolved<T extends { data?: unknown }>(answer: T): Extract<NonNullable<T['data']>, { phase: string }> {
  if (!answer.data || Array.isArray(answer.data)) throw new Error(`expected the effective set, got ${JSON.stringify(answer.data)}`);
  return answer.data as never;
}

describe.each(databaseKinds())('variables over HTTP (%s)', (kind) => {
  const ctx = useInProcessServer(kind);
  let admin: TestActor;
  let bot: TestActor;
  let projectId: string;
  const as = (who: TestActor): PierClient => apiAs(ctx.server, who.headers);
  const inProject = () => ({ params: { path: { projectId } } });
  const inEnvironment = (environmentId: string) => ({ params: { path: { projectId, environmentId } } });
  const effectiveIn = (environmentId: string, effective: 'build' | 'runtime') => ({ params: { path: { projectId, environmentId }, query: { effective } } });
  const one = (environmentId: string, variableId: string) => ({ params: { path: { projectId, environmentId, variableId } } });
  const ENV_VARS = '/projects/{projectId}/environments/{environmentId}/variables';
  const ONE = '/projects/{projectId}/environments/{environmentId}/variables/{variableId}';
  const PROJECT_VARS = '/projects/{projectId}/variables';
  const listOf = async (who: TestActor, environment: string) => listed((await as(who).GET(ENV_VARS, inEnvironment(environment))).data);

  beforeAll(async () => {
    admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectInProcess(ctx.server, admin, 'Variables');
    bot = await actorInProcess(ctx.server, 'bot@example.com');
    await grantInProcess(ctx.server, admin, projectId, bot, ['viewer', 'development:contributor', 'staging:viewer']);
    for (const [name, parent, type] of [
      ['staging', 'main', 'staging'],
      ['feature/x', 'staging', 'development'],
    ] as const) {
      const response = await as(admin).POST('/projects/{projectId}/environments/{environmentId}/branch', {
        params: { path: { projectId, environmentId: parent } },
        body: { name, type },
      });
      expect(response.response.status).toBe(201);
    }
  });

  it('creates with the Platform.sh defaults and returns the stored variable', async () => {
    const project = await as(admin).POST(PROJECT_VARS, { ...inProject(), body: { name: 'region', value: 'eu' } });
    expect(project.response.status).toBe(201);
    expect(project.data!._embedded.entity).toMatchObject({
      id: 'region', name: 'region', value: 'eu', is_json: false, is_sensitive: false, visible_build: true, visible_runtime: true, application_scope: [], attributes: {},
    });
    expect(project.data!._embedded.entity).not.toHaveProperty('is_inheritable');
    const environment = await as(admin).POST(ENV_VARS, { ...inEnvironment('main'), body: { name: 'env:DEBUG', value: '0' } });
    expect(environment.data!._embedded.entity).toMatchObject({
      name: 'env:DEBUG', project: projectId, environment: 'main', inherited: false, is_enabled: true, is_inheritable: true, visible_build: true, visible_runtime: true,
    });
    const fetched = await as(admin).GET(ONE, one('main', 'env:DEBUG'));
    expect(fetched.data).toMatchObject({ name: 'env:DEBUG', value: '0' });
    expect(fetched.data!._links).toMatchObject({ '#edit': { method: 'PATCH' }, '#delete': { method: 'DELETE' } });
  });

  it('rejects bad names, bad JSON, level-only fields and duplicates with a clear 4xx, changing nothing', async () => {
    const before = await listOf(admin, 'main');
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ name: '', value: 'x' }, 400, /name/],
      [{ name: 'has space', value: 'x' }, 400, /must not contain spaces/],
      [{ name: 'env:1BAD', value: 'x' }, 400, /not a valid environment variable name/],
      [{ name: 'env:WITH-DASH', value: 'x' }, 400, /not a valid environment variable name/],
      [{ name: 'bad prefix!:x', value: 'x' }, 400, /spaces|prefix/],
      [{ name: ':x', value: 'x' }, 400, /empty prefix/],
      [{ name: 'json', value: '{not json', is_json: true }, 400, /not valid JSON/],
      [{ name: 'env:DEBUG', value: 'again' }, 409, /The variable already exists: env:DEBUG/],
    ];
    for (const [body, status, message] of cases) {
      // Some of these break the schema on purpose; the client sends them as they are.
      const response = await as(admin).POST(ENV_VARS, { ...inEnvironment('main'), body: body as { name: string; value: string } });
      expect(response.response.status, JSON.stringify(body)).toBe(status);
      expect(String(response.error?.message), JSON.stringify(body)).toMatch(message);
    }
    const projectLevel = await as(admin).POST(PROJECT_VARS, { ...inProject(), body: { name: 'x', value: 'y', is_inheritable: false } as { name: string; value: string } });
    expect(projectLevel.response.status).toBe(400);
    expect(await listOf(admin, 'main')).toEqual(before);
  });

  it('never shows a sensitive value again: responses, lists, effective view, audit, logs, database', async () => {
    const secret = `pier_canary_${Date.now()}_${Math.random().toString(36).slice(2)}`;
    const api = as(admin);
    const created = await api.POST(ENV_VARS, {
      ...inEnvironment('main'),
      body: { name: 'env:PIER_CLI_TOKEN', value: secret, is_sensitive: true, is_inheritable: false, visible_build: true },
    });
    expect(created.response.status).toBe(201);
    const token = one('main', 'env:PIER_CLI_TOKEN');
    const bodies = [
      created.data,
      (await api.GET(ENV_VARS, inEnvironment('main'))).data,
      (await api.GET(ONE, token)).data,
      (await api.GET(ENV_VARS, effectiveIn('main', 'runtime'))).data,
      (await api.GET(ENV_VARS, effectiveIn('main', 'build'))).data,
      (await api.GET('/projects/{project_id}/audit', { params: { path: { project_id: projectId } } })).data,
      (await api.PATCH(ONE, { ...token, body: { visible_build: false } })).data,
    ];
    for (const body of bodies) expect(JSON.stringify(body)).not.toContain(secret);
    const fetched = await api.GET(ONE, token);
    expect(fetched.data).not.toHaveProperty('value');
    expect(fetched.data).toMatchObject({ is_sensitive: true, is_inheritable: false, visible_build: false });

    const downgrade = await api.PATCH(ONE, { ...token, body: { is_sensitive: false } });
    expect(downgrade.response.status).toBe(400);
    expect(downgrade.error).toMatchObject({ detail: { field: 'is_sensitive' } });

    const effective = resolved(await api.GET(ENV_VARS, effectiveIn('main', 'runtime')));
    expect(effective.environment.PIER_CLI_TOKEN).toBe('[Hidden: sensitive value]');

    expect(ctx.server.output()).not.toContain(secret);
    expect(await rawDatabaseText()).not.toContain(secret);
  });

  async function rawDatabaseText(): Promise<string> {
    if (ctx.database.kind === 'sqlite') {
      return fs
        .readdirSync(ctx.server.dataDir)
        .filter((f) => f.startsWith('pier.sqlite'))
        .map((f) => fs.readFileSync(path.join(ctx.server.dataDir, f)).toString('latin1'))
        .join('\n');
    }
    const client = new pg.Client({ connectionString: ctx.database.url });
    await client.connect();
    const { rows } = await client.query('select * from variables');
    await client.end();
    return JSON.stringify(rows);
  }

  it('inherits down the chain: nearest wins, environment beats project, non-inheritable stays, disabled switches off', async () => {
    const api = as(admin);
    await api.POST(PROJECT_VARS, { ...inProject(), body: { name: 'system_version', value: '1.5' } });
    await api.POST(ENV_VARS, { ...inEnvironment('main'), body: { name: 'system_version', value: '1.6' } });
    await api.POST(ENV_VARS, { ...inEnvironment('staging'), body: { name: 'system_version', value: '1.7' } });
    await api.POST(PROJECT_VARS, { ...inProject(), body: { name: 'paypal_id', value: 'sandbox' } });
    await api.POST(ENV_VARS, { ...inEnvironment('main'), body: { name: 'paypal_id', value: 'live', is_inheritable: false } });
    await api.POST(ENV_VARS, { ...inEnvironment('main'), body: { name: 'env:FEATURE_FLAG', value: 'on' } });

    const effectiveOf = async (environment: string) => {
      const effective = resolved(await api.GET(ENV_VARS, effectiveIn(environment, 'runtime')));
      return Object.fromEntries(effective.variables.map((v) => [v.name, `${v.level}:${v.value ?? 'hidden'}`]));
    };
    expect(await effectiveOf('feature/x')).toMatchObject({ system_version: 'environment:1.7', paypal_id: 'project:sandbox', 'env:FEATURE_FLAG': 'environment:on', region: 'project:eu' });
    expect(await effectiveOf('main')).toMatchObject({ system_version: 'environment:1.6', paypal_id: 'environment:live' });

    const featureList = await listOf(admin, 'feature/x');
    expect(featureList.map((v) => [v.name, v.inherited, v.environment])).toEqual([
      ['env:DEBUG', true, 'feature/x'],
      ['env:FEATURE_FLAG', true, 'feature/x'],
      ['system_version', true, 'feature/x'],
    ]);
    const deleteInherited = await api.DELETE(ONE, one('feature/x', 'env:FEATURE_FLAG'));
    expect(deleteInherited.response.status).toBe(400);
    expect(String(deleteInherited.error?.message)).toContain('is inherited, so it cannot be deleted from this environment');

    const disabled = await api.PATCH(ONE, { ...one('staging', 'env:FEATURE_FLAG'), body: { is_enabled: false } });
    expect(disabled.response.status).toBe(200);
    expect(await effectiveOf('staging')).not.toHaveProperty('env:FEATURE_FLAG');
    expect(await effectiveOf('feature/x')).not.toHaveProperty('env:FEATURE_FLAG');
    expect(await effectiveOf('main')).toHaveProperty('env:FEATURE_FLAG');
    const stagingList = await listOf(admin, 'staging');
    expect(stagingList.find((v) => v.name === 'env:FEATURE_FLAG')).toMatchObject({ inherited: false, is_enabled: false });

    const rendered = resolved(await api.GET(ENV_VARS, effectiveIn('feature/x', 'runtime')));
    expect(rendered.environment).toMatchObject({ DEBUG: '0' });
    expect(JSON.parse(Buffer.from(rendered.environment.PIER_VARIABLES!, 'base64').toString())).toEqual({ paypal_id: 'sandbox', region: 'eu', system_version: '1.7' });
  });

  it('lets contributors and viewers read names and non-sensitive values only, and change nothing', async () => {
    await as(admin).POST(ENV_VARS, { ...inEnvironment('feature/x'), body: { name: 'env:BOT_SECRET', value: 'hush-hush-value', is_sensitive: true } });
    const asBot = as(bot);
    const botList = await asBot.GET(ENV_VARS, inEnvironment('feature/x'));
    expect(botList.response.status).toBe(200);
    expect(listed(botList.data).find((v) => v.name === 'env:BOT_SECRET')).not.toHaveProperty('value');
    expect(listed(botList.data).find((v) => v.name === 'env:BOT_SECRET')?._links).not.toHaveProperty('#edit');
    expect((await asBot.GET(ENV_VARS, effectiveIn('feature/x', 'runtime'))).response.status).toBe(403);
    const create = await asBot.POST(ENV_VARS, { ...inEnvironment('feature/x'), body: { name: 'env:NOPE', value: 'x' } });
    expect(create.response.status).toBe(403);
    expect(create.error).toMatchObject({ detail: { missing_permission: 'development:admin' } });
    expect((await asBot.POST(PROJECT_VARS, { ...inProject(), body: { name: 'nope', value: 'x' } })).error).toMatchObject({ detail: { missing_permission: 'admin' } });
    expect((await asBot.GET(ENV_VARS, inEnvironment('main'))).response.status).toBe(403);
  });

  it('shows project variables, which reach production, only to callers who may view production', async () => {
    const region = { params: { path: { projectId, projectVariableId: 'region' } } };
    const reads = {
      [PROJECT_VARS]: () => as(bot).GET(PROJECT_VARS, inProject()),
      [`${PROJECT_VARS}/region`]: () => as(bot).GET('/projects/{projectId}/variables/{projectVariableId}', region),
    };
    for (const [path, read] of Object.entries(reads)) {
      const denied = await read();
      expect(denied.response.status, path).toBe(403);
      expect(denied.error).toMatchObject({ detail: { missing_permission: 'production:viewer' } });
    }
    const prodViewer = await actorInProcess(ctx.server, `prod-viewer-${kind}@example.com`);
    await grantInProcess(ctx.server, admin, projectId, prodViewer, ['viewer', 'production:viewer']);
    expect((await as(prodViewer).GET('/projects/{projectId}/variables/{projectVariableId}', region)).data).toMatchObject({ value: 'eu' });
  });

  it('keeps an override of an inherited sensitive variable sensitive: a development admin never reads the production value', async () => {
    const secret = `production_only_${Date.now()}`;
    expect((await as(admin).POST(ENV_VARS, { ...inEnvironment('main'), body: { name: 'env:PROD_PASSWORD', value: secret, is_sensitive: true } })).response.status).toBe(201);
    const devAdmin = await actorInProcess(ctx.server, `dev-admin-${kind}@example.com`);
    await grantInProcess(ctx.server, admin, projectId, devAdmin, ['viewer', 'development:admin']);
    const asDevAdmin = as(devAdmin);
    const password = one('feature/x', 'env:PROD_PASSWORD');

    const reveal = await asDevAdmin.PATCH(ONE, { ...password, body: { is_sensitive: false } });
    expect(reveal.response.status).toBe(400);
    expect(reveal.error).toMatchObject({ detail: { field: 'is_sensitive' } });
    const override = await asDevAdmin.PATCH(ONE, { ...password, body: { visible_build: false } });
    expect(override.response.status).toBe(200);
    const fetched = await asDevAdmin.GET(ONE, password);
    expect(fetched.data).toMatchObject({ inherited: false, is_sensitive: true, visible_build: false });
    expect(fetched.data).not.toHaveProperty('value');
    for (const body of [reveal.error, override.data, fetched.data, (await asDevAdmin.GET(ENV_VARS, effectiveIn('feature/x', 'runtime'))).data]) {
      expect(JSON.stringify(body)).not.toContain(secret);
    }
  });

  it('records changes in the audit trail by name, never by value', async () => {
    await as(admin).PATCH('/projects/{projectId}/variables/{projectVariableId}', { params: { path: { projectId, projectVariableId: 'region' } }, body: { value: 'us-east-secretish' } });
    const trail = await as(admin).GET('/projects/{project_id}/audit', { params: { path: { project_id: projectId }, query: { count: 1 } } });
    expect(trail.data![0]).toMatchObject({ action: 'variable.update', target: { id: 'region' }, details: { level: 'project', changed: ['value'] } });
    expect(JSON.stringify(trail.data)).not.toContain('us-east-secretish');
  });
});
