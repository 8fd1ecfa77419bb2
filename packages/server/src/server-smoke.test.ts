/**
 * The built `pier-server` binary, end to end over a real socket, once per database: the route
 * suites run in process (`test-support/in-process.ts`); this one proves the process they stand
 * for starts, serves, runs its worker and answers the same contract.
 */
import { describe, expect, it } from 'vitest';
import { createPierClient } from '@pier/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD, databaseKinds } from '../../../test-support/pier-server.js';
import { usePierServer } from '../../../test-support/lifecycle.js';
import { waitForActivity } from '../../../test-support/activities.js';

describe.each(databaseKinds())('pier-server binary smoke (%s)', (kind) => {
  const ctx = usePierServer(kind);

  it('logs in, creates a project and backs up its main environment', async () => {
    const anonymous = createPierClient({ baseUrl: ctx.server.url });
    const login = await anonymous.POST('/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    expect(login.response.status).toBe(200);
    const cookie = (login.response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = createPierClient({ baseUrl: ctx.server.url, headers: { cookie, 'x-csrf-token': login.data!.csrf_token } });

    const me = await session.GET('/users/me');
    expect(me.data).toMatchObject({ email: ADMIN_EMAIL });

    const project = await session.POST('/projects', { body: { title: 'Smoke' } });
    expect(project.response.status).toBe(201);
    const projectId = project.data!._embedded.entity!.id;

    const main = { projectId, environmentId: 'main' };
    const accepted = await session.POST('/projects/{projectId}/environments/{environmentId}/backup', { params: { path: main }, body: {} });
    expect(accepted.response.status).toBe(202);
    const queued = accepted.data!._embedded.activities[0]!;
    const finished = await waitForActivity(ctx.server.url, projectId, queued.id, { cookie });
    expect(finished).toMatchObject({ state: 'complete', result: 'success' });

    const backups = await session.GET('/projects/{projectId}/environments/{environmentId}/backups', { params: { path: main } });
    expect(backups.data?.map((backup) => backup.id)).toEqual([queued.payload.backup_name]);
  });
});
