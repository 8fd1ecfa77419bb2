import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';

type Variable = Record<string, unknown> & { name: string; inherited?: boolean };

describe.each(databaseKinds())('variables over HTTP (%s)', (kind) => {
  const ctx = usePierServer(kind);
  let admin: TestActor;
  let bot: TestActor;
  let projectId: string;
  const url = () => `${ctx.server.url}/projects/${projectId}`;
  const envVars = (environment: string) => `${url()}/environments/${encodeURIComponent(environment)}/variables`;
  const one = (environment: string, name: string) => `${envVars(environment)}/${encodeURIComponent(name)}`;

  beforeAll(async () => {
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Variables');
    bot = await actor(ctx.server, 'bot@example.com');
    await grant(ctx.server, admin, projectId, bot, ['viewer', 'development:contributor', 'staging:viewer']);
    for (const [name, parent, type] of [
      ['staging', 'main', 'staging'],
      ['feature/x', 'staging', 'development'],
    ]) {
      const response = await request(`${url()}/environments/${encodeURIComponent(parent!)}/branch`, { headers: admin.headers, json: { name, type } });
      expect(response.status).toBe(201);
    }
  });

  it('creates with the Platform.sh defaults and returns the stored variable', async () => {
    const project = await request<{ _embedded: { entity: Variable } }>(`${url()}/variables`, { headers: admin.headers, json: { name: 'region', value: 'eu' } });
    expect(project.status).toBe(201);
    expect(project.body._embedded.entity).toMatchObject({
      id: 'region', name: 'region', value: 'eu', is_json: false, is_sensitive: false, visible_build: true, visible_runtime: true, application_scope: [], attributes: {},
    });
    expect(project.body._embedded.entity).not.toHaveProperty('is_inheritable');
    const environment = await request<{ _embedded: { entity: Variable } }>(envVars('main'), { headers: admin.headers, json: { name: 'env:DEBUG', value: '0' } });
    expect(environment.body._embedded.entity).toMatchObject({
      name: 'env:DEBUG', project: projectId, environment: 'main', inherited: false, is_enabled: true, is_inheritable: true, visible_build: true, visible_runtime: true,
    });
    const fetched = await request(one('main', 'env:DEBUG'), { headers: admin.headers });
    expect(fetched.body).toMatchObject({ name: 'env:DEBUG', value: '0' });
    expect(fetched.body._links).toMatchObject({ '#edit': { method: 'PATCH' }, '#delete': { method: 'DELETE' } });
  });

  it('rejects bad names, bad JSON, level-only fields and duplicates with a clear 4xx, changing nothing', async () => {
    const before = await request<Variable[]>(envVars('main'), { headers: admin.headers });
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
      const response = await request(envVars('main'), { headers: admin.headers, json: body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(String(response.body.message), JSON.stringify(body)).toMatch(message);
    }
    const projectLevel = await request(`${url()}/variables`, { headers: admin.headers, json: { name: 'x', value: 'y', is_inheritable: false } });
    expect(projectLevel.status).toBe(400);
    expect((await request<Variable[]>(envVars('main'), { headers: admin.headers })).body).toEqual(before.body);
  });

  it('never shows a sensitive value again: responses, lists, effective view, audit, logs, database', async () => {
    const secret = `pier_canary_${Date.now()}_${Math.random().toString(36).slice(2)}`;
    const created = await request(envVars('main'), {
      headers: admin.headers,
      json: { name: 'env:PIER_CLI_TOKEN', value: secret, is_sensitive: true, is_inheritable: false, visible_build: true },
    });
    expect(created.status).toBe(201);
    const bodies = [
      created.body,
      (await request(envVars('main'), { headers: admin.headers })).body,
      (await request(one('main', 'env:PIER_CLI_TOKEN'), { headers: admin.headers })).body,
      (await request(`${envVars('main')}?effective=runtime`, { headers: admin.headers })).body,
      (await request(`${envVars('main')}?effective=build`, { headers: admin.headers })).body,
      (await request(`${url()}/audit`, { headers: admin.headers })).body,
      (await request(one('main', 'env:PIER_CLI_TOKEN'), { method: 'PATCH', headers: admin.headers, json: { visible_build: false } })).body,
    ];
    for (const body of bodies) expect(JSON.stringify(body)).not.toContain(secret);
    const fetched = await request(one('main', 'env:PIER_CLI_TOKEN'), { headers: admin.headers });
    expect(fetched.body).not.toHaveProperty('value');
    expect(fetched.body).toMatchObject({ is_sensitive: true, is_inheritable: false, visible_build: false });

    const downgrade = await request(one('main', 'env:PIER_CLI_TOKEN'), { method: 'PATCH', headers: admin.headers, json: { is_sensitive: false } });
    expect(downgrade.status).toBe(400);
    expect(downgrade.body).toMatchObject({ detail: { field: 'is_sensitive' } });

    const effective = await request<{ environment: Record<string, string> }>(`${envVars('main')}?effective=runtime`, { headers: admin.headers });
    expect(effective.body.environment.PIER_CLI_TOKEN).toBe('[Hidden: sensitive value]');

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
    await request(`${url()}/variables`, { headers: admin.headers, json: { name: 'system_version', value: '1.5' } });
    await request(envVars('main'), { headers: admin.headers, json: { name: 'system_version', value: '1.6' } });
    await request(envVars('staging'), { headers: admin.headers, json: { name: 'system_version', value: '1.7' } });
    await request(`${url()}/variables`, { headers: admin.headers, json: { name: 'paypal_id', value: 'sandbox' } });
    await request(envVars('main'), { headers: admin.headers, json: { name: 'paypal_id', value: 'live', is_inheritable: false } });
    await request(envVars('main'), { headers: admin.headers, json: { name: 'env:FEATURE_FLAG', value: 'on' } });

    const effectiveOf = async (environment: string) => {
      const response = await request<{ variables: Array<{ name: string; value?: string; inherited: boolean; level: string }> }>(
        `${envVars(environment)}?effective=runtime`,
        { headers: admin.headers },
      );
      return Object.fromEntries(response.body.variables.map((v) => [v.name, `${v.level}:${v.value ?? 'hidden'}`]));
    };
    expect(await effectiveOf('feature/x')).toMatchObject({ system_version: 'environment:1.7', paypal_id: 'project:sandbox', 'env:FEATURE_FLAG': 'environment:on', region: 'project:eu' });
    expect(await effectiveOf('main')).toMatchObject({ system_version: 'environment:1.6', paypal_id: 'environment:live' });

    const listed = await request<Variable[]>(envVars('feature/x'), { headers: admin.headers });
    expect(listed.body.map((v) => [v.name, v.inherited, v.environment])).toEqual([
      ['env:DEBUG', true, 'feature/x'],
      ['env:FEATURE_FLAG', true, 'feature/x'],
      ['system_version', true, 'feature/x'],
    ]);
    const deleteInherited = await request(one('feature/x', 'env:FEATURE_FLAG'), { method: 'DELETE', headers: admin.headers });
    expect(deleteInherited.status).toBe(400);
    expect(String(deleteInherited.body.message)).toContain('is inherited, so it cannot be deleted from this environment');

    const disabled = await request(one('staging', 'env:FEATURE_FLAG'), { method: 'PATCH', headers: admin.headers, json: { is_enabled: false } });
    expect(disabled.status).toBe(200);
    expect(await effectiveOf('staging')).not.toHaveProperty('env:FEATURE_FLAG');
    expect(await effectiveOf('feature/x')).not.toHaveProperty('env:FEATURE_FLAG');
    expect(await effectiveOf('main')).toHaveProperty('env:FEATURE_FLAG');
    const stagingList = await request<Variable[]>(envVars('staging'), { headers: admin.headers });
    expect(stagingList.body.find((v) => v.name === 'env:FEATURE_FLAG')).toMatchObject({ inherited: false, is_enabled: false });

    const rendered = await request<{ environment: Record<string, string> }>(`${envVars('feature/x')}?effective=runtime`, { headers: admin.headers });
    expect(rendered.body.environment).toMatchObject({ DEBUG: '0' });
    expect(JSON.parse(Buffer.from(rendered.body.environment.PIER_VARIABLES!, 'base64').toString())).toEqual({ paypal_id: 'sandbox', region: 'eu', system_version: '1.7' });
  });

  it('lets contributors and viewers read names and non-sensitive values only, and change nothing', async () => {
    await request(envVars('feature/x'), { headers: admin.headers, json: { name: 'env:BOT_SECRET', value: 'hush-hush-value', is_sensitive: true } });
    const listed = await request<Variable[]>(envVars('feature/x'), { headers: bot.headers });
    expect(listed.status).toBe(200);
    expect(listed.body.find((v) => v.name === 'env:BOT_SECRET')).not.toHaveProperty('value');
    expect(listed.body.find((v) => v.name === 'env:BOT_SECRET')?._links).not.toHaveProperty('#edit');
    expect((await request(`${envVars('feature/x')}?effective=runtime`, { headers: bot.headers })).status).toBe(403);
    const create = await request(envVars('feature/x'), { headers: bot.headers, json: { name: 'env:NOPE', value: 'x' } });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ detail: { missing_permission: 'development:admin' } });
    expect((await request(`${url()}/variables`, { headers: bot.headers, json: { name: 'nope', value: 'x' } })).body).toMatchObject({ detail: { missing_permission: 'admin' } });
    expect((await request(envVars('main'), { headers: bot.headers })).status).toBe(403);
  });

  it('shows project variables, which reach production, only to callers who may view production', async () => {
    for (const path of [`${url()}/variables`, `${url()}/variables/region`]) {
      const denied = await request(path, { headers: bot.headers });
      expect(denied.status, path).toBe(403);
      expect(denied.body).toMatchObject({ detail: { missing_permission: 'production:viewer' } });
    }
    const prodViewer = await actor(ctx.server, `prod-viewer-${kind}@example.com`);
    await grant(ctx.server, admin, projectId, prodViewer, ['viewer', 'production:viewer']);
    expect((await request(`${url()}/variables/region`, { headers: prodViewer.headers })).body).toMatchObject({ value: 'eu' });
  });

  it('keeps an override of an inherited sensitive variable sensitive: a development admin never reads the production value', async () => {
    const secret = `production_only_${Date.now()}`;
    expect((await request(envVars('main'), { headers: admin.headers, json: { name: 'env:PROD_PASSWORD', value: secret, is_sensitive: true } })).status).toBe(201);
    const devAdmin = await actor(ctx.server, `dev-admin-${kind}@example.com`);
    await grant(ctx.server, admin, projectId, devAdmin, ['viewer', 'development:admin']);

    const reveal = await request(one('feature/x', 'env:PROD_PASSWORD'), { method: 'PATCH', headers: devAdmin.headers, json: { is_sensitive: false } });
    expect(reveal.status).toBe(400);
    expect(reveal.body).toMatchObject({ detail: { field: 'is_sensitive' } });
    const override = await request(one('feature/x', 'env:PROD_PASSWORD'), { method: 'PATCH', headers: devAdmin.headers, json: { visible_build: false } });
    expect(override.status).toBe(200);
    const fetched = await request(one('feature/x', 'env:PROD_PASSWORD'), { headers: devAdmin.headers });
    expect(fetched.body).toMatchObject({ inherited: false, is_sensitive: true, visible_build: false });
    expect(fetched.body).not.toHaveProperty('value');
    for (const body of [reveal.body, override.body, fetched.body, (await request(`${envVars('feature/x')}?effective=runtime`, { headers: devAdmin.headers })).body]) {
      expect(JSON.stringify(body)).not.toContain(secret);
    }
  });

  it('records changes in the audit trail by name, never by value', async () => {
    await request(`${url()}/variables/region`, { method: 'PATCH', headers: admin.headers, json: { value: 'us-east-secretish' } });
    const trail = await request<Array<{ action: string; target: { id: string }; details: Record<string, unknown> }>>(`${url()}/audit?count=1`, { headers: admin.headers });
    expect(trail.body[0]).toMatchObject({ action: 'variable.update', target: { id: 'region' }, details: { level: 'project', changed: ['value'] } });
    expect(JSON.stringify(trail.body)).not.toContain('us-east-secretish');
  });
});
