import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess } from '../../../../test-support/in-process-actors.js';
import { waitForActivityInProcess } from '../../../../test-support/activities.js';
import { databaseRows } from '../../../../test-support/database-rows.js';

describe.each(databaseKinds())('deleting a project (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { worker: true });

  it('is for its owner (or an instance admin) and leaves nothing of it behind but the audit trail', async () => {
    const owner = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectAdmin = await actorInProcess(ctx.server, `project-admin-${kind}@example.com`);
    const projectId = await createProjectInProcess(ctx.server, owner, 'Short-lived');
    await grantInProcess(ctx.server, owner, projectId, projectAdmin, ['admin']);
    const asOwner = apiAs(ctx.server, owner.headers);
    const asProjectAdmin = apiAs(ctx.server, projectAdmin.headers);
    const project = { params: { path: { projectId } } };
    const inEnvironment = (environmentId: string) => ({ params: { path: { projectId, environmentId } } });
    await asOwner.POST('/projects/{projectId}/environments/{environmentId}/branch', { ...inEnvironment('main'), body: { name: 'dev' } });
    await asOwner.POST('/projects/{projectId}/variables', { ...project, body: { name: 'token', value: 'v', is_sensitive: true } });
    expect((await asOwner.GET('/projects/{projectId}/environments/{environmentId}/source-operations', inEnvironment('main'))).response.status).toBe(200);
    const dev = (await asOwner.GET('/projects/{projectId}/environments/{environmentId}', inEnvironment('dev'))).data!;
    fs.mkdirSync(path.join(ctx.server.dataDir, 'projects', projectId, 'environments', dev.machine_name, 'data'), { recursive: true });
    fs.writeFileSync(path.join(ctx.server.dataDir, 'projects', projectId, 'environments', dev.machine_name, 'data', 'upload.txt'), 'data');
    const backup = await asOwner.POST('/projects/{projectId}/environments/{environmentId}/backup', { ...inEnvironment('dev'), body: {} });
    const backupActivity = backup.data!._embedded.activities[0]!.id;
    await waitForActivityInProcess(ctx.server, projectId, backupActivity, owner.headers);
    const leftovers = () => [path.join('git', `${projectId}.git`), path.join('projects', projectId), path.join('backups', projectId)].filter((p) => fs.existsSync(path.join(ctx.server.dataDir, p)));
    expect(leftovers()).toHaveLength(3);

    const byProjectAdmin = await asProjectAdmin.DELETE('/projects/{projectId}', project);
    expect(byProjectAdmin.response.status).toBe(403);
    expect(byProjectAdmin.error).toMatchObject({ detail: { missing_permission: 'owner' } });
    expect((await asProjectAdmin.GET('/projects/{projectId}', project)).data!._links).not.toHaveProperty('#delete');

    expect((await asOwner.DELETE('/projects/{projectId}', project)).response.status).toBe(200);
    expect((await asOwner.GET('/projects/{projectId}', project)).response.status).toBe(404);
    expect(leftovers()).toEqual([]);
    for (const table of ['environments', 'variables', 'project_access', 'invitations', 'activities', 'backups']) {
      expect(await databaseRows(ctx, `select * from ${table} where project_id = ?`, [projectId]), table).toEqual([]);
    }
    expect(await databaseRows(ctx, 'select * from activity_log where activity_id = ?', [backupActivity])).toEqual([]);
    // Who deleted it, and what happened before, stays on record.
    const trail = await databaseRows(ctx, 'select action from audit_log where project_id = ? order by id', [projectId]);
    expect(trail.map((row) => row.action)).toEqual(expect.arrayContaining(['project.create', 'variable.create', 'project.delete']));
  });
});
