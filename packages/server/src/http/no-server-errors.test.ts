import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds, runServerCommand } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import type { JsonResponse } from '../../../../test-support/http.js';
import { actorInProcess, createProjectInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';

/** Inputs an outside audit saw answered with a 500; each must be a clear 4xx that changes nothing. */
describe.each(databaseKinds())('inputs that used to fail with a 500 (%s)', (kind) => {
  const ctx = useInProcessServer(kind);
  let admin: TestActor;
  let projectId: string;
  const project = () => `/projects/${projectId}`;

  function expectRefusal(response: JsonResponse, status: number, field?: string) {
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body).toMatchObject({ status: 'error', code: status, error: expect.any(String), message: expect.any(String) });
    if (field) expect(JSON.stringify(response.body)).toContain(field);
  }

  beforeAll(async () => {
    admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectInProcess(ctx.server, admin, 'Refusals');
  });

  it('refuses a leap second or an impossible date as a time', async () => {
    const leap = '2030-06-30T23:59:60Z';
    expectRefusal(await rawRequest(ctx.server, '/users/me/api-tokens', { headers: admin.headers, json: { name: 'leap', expires_at: leap } }), 400, 'expires_at');
    expectRefusal(await rawRequest(ctx.server, `${project()}/activities?starts_at=${leap}`, { headers: admin.headers }), 400, 'starts_at');
    expectRefusal(await rawRequest(ctx.server, `${project()}/activities?starts_at=2030-02-30T00:00:00Z`, { headers: admin.headers }), 400, 'starts_at');
    expect((await rawRequest<unknown[]>(ctx.server, '/users/me/api-tokens', { headers: admin.headers })).body.every((t) => (t as { name: string }).name !== 'leap')).toBe(true);
  });

  it('refuses is_json on a value that is not JSON, and the environment stays readable', async () => {
    const variables = `${project()}/variables`;
    expect((await rawRequest(ctx.server, variables, { headers: admin.headers, json: { name: 'plain', value: 'not json' } })).status).toBe(201);
    expectRefusal(await rawRequest(ctx.server, `${variables}/plain`, { method: 'PATCH', headers: admin.headers, json: { is_json: true } }), 400, 'is_json');
    expect((await rawRequest(ctx.server, `${variables}/plain`, { headers: admin.headers })).body).toMatchObject({ is_json: false, value: 'not json' });
    const effective = await rawRequest(ctx.server, `${project()}/environments/main/variables?effective=runtime`, { headers: admin.headers });
    expect(effective.status).toBe(200);
  });

  it('refuses branch names that git refuses', async () => {
    for (const name of ['a..b', 'a/', 'a//b', 'x.lock', 'a/.hidden', 'dot.']) {
      expectRefusal(await rawRequest(ctx.server, '/projects', { headers: admin.headers, json: { title: 'Bad branch', default_branch: name } }), 400, 'default_branch');
      expectRefusal(await rawRequest(ctx.server, `${project()}/environments/main/branch`, { headers: admin.headers, json: { name } }), 400, 'name');
    }
  });

  it('refuses a lone surrogate, which is not Unicode text', async () => {
    expectRefusal(await rawRequest(ctx.server, `${project()}/variables`, { headers: admin.headers, json: { name: 'x\ud800', value: 'v' } }), 400, 'name');
    expectRefusal(await rawRequest(ctx.server, `${project()}/variables`, { headers: admin.headers, json: { name: 'ok', value: 'v', attributes: { '\udfff': 'v' } } }), 400, 'attributes');
    expect((await rawRequest(ctx.server, `${project()}/variables/ok`, { headers: admin.headers })).status).toBe(404);
  });

  it('refuses a NUL character anywhere in a path, query or body', async () => {
    expectRefusal(await rawRequest(ctx.server, '/projects', { headers: admin.headers, json: { title: 'nul\u0000title' } }), 400, 'title');
    expectRefusal(await rawRequest(ctx.server, `${project()}/variables`, { headers: admin.headers, json: { name: 'nul', value: 'a\u0000b' } }), 400, 'value');
    expectRefusal(await rawRequest(ctx.server, '/projects/nul%00id', { headers: admin.headers }), 400);
    expectRefusal(await rawRequest(ctx.server, `${project()}/environments/main/variables/x%00y`, { headers: admin.headers }), 400);
    expectRefusal(await rawRequest(ctx.server, `${project()}/activities?type=a%00b`, { headers: admin.headers }), 400);
    expect((await rawRequest(ctx.server, `${project()}/variables/nul`, { headers: admin.headers })).status).toBe(404);
  });

  it('refuses log positions beyond what a log can hold', async () => {
    const activities = await rawRequest<Array<{ id: string }>>(ctx.server, `${project()}/activities`, { headers: admin.headers });
    const activityId = activities.body[0]!.id;
    expectRefusal(await rawRequest(ctx.server, `${project()}/activities/${activityId}/log?start_at=1e300`, { headers: admin.headers }), 400, 'start_at');
    expectRefusal(await rawRequest(ctx.server, `${project()}/activities/${activityId}/log?max_items=1e300`, { headers: admin.headers }), 400, 'max_items');
    expectRefusal(await rawRequest(ctx.server, `${project()}/activities/${activityId}/log?max_delay=1e300`, { headers: admin.headers }), 400, 'max_delay');
  });

  it('answers identical concurrent creations with one 201 and 409s', async () => {
    const branches = await Promise.all(
      Array.from({ length: 8 }, () => rawRequest(ctx.server, `${project()}/environments/main/branch`, { headers: admin.headers, json: { name: 'race' } })),
    );
    expect(branches.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of branches.filter((r) => r.status === 409)) expectRefusal(refused, 409);

    const variables = await Promise.all(
      Array.from({ length: 8 }, () => rawRequest(ctx.server, `${project()}/environments/main/variables`, { headers: admin.headers, json: { name: 'env:RACE', value: '1' } })),
    );
    expect(variables.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of variables.filter((r) => r.status === 409)) expectRefusal(refused, 409);
  });

  it('refuses an API token lifetime beyond what a date can hold in the admin command', async () => {
    const failure = await runServerCommand(ctx.server.env, ['user:create-token', ADMIN_EMAIL, '--name', 'forever', '--expires-in', '100000001']);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('--expires-in');
    expect(failure.stderr).not.toContain('RangeError');
  });
});
