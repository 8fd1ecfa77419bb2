import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant } from '../../../../test-support/actors.js';
import { waitForActivity } from '../../../../test-support/activities.js';
import { databaseRows } from '../../../../test-support/database-rows.js';

describe.each(databaseKinds())('deleting a project (%s)', (kind) => {
  const ctx = usePierServer(kind);

  it('is for its owner (or an instance admin) and leaves nothing of it behind but the audit trail', async () => {
    const owner = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectAdmin = await actor(ctx.server, `project-admin-${kind}@example.com`);
    const projectId = await createProjectAs(ctx.server, owner, 'Short-lived');
    await grant(ctx.server, owner, projectId, projectAdmin, ['admin']);
    const project = `${ctx.server.url}/projects/${projectId}`;
    await request(`${project}/environments/main/branch`, { headers: owner.headers, json: { name: 'dev' } });
    await request(`${project}/variables`, { headers: owner.headers, json: { name: 'token', value: 'v', is_sensitive: true } });
    expect((await request(`${project}/environments/main/source-operations`, { headers: owner.headers })).status).toBe(200);
    const dev = await request(`${project}/environments/dev`, { headers: owner.headers });
    fs.mkdirSync(path.join(ctx.server.dataDir, 'projects', projectId, 'environments', String(dev.body.machine_name), 'data'), { recursive: true });
    fs.writeFileSync(path.join(ctx.server.dataDir, 'projects', projectId, 'environments', String(dev.body.machine_name), 'data', 'upload.txt'), 'data');
    const backup = await request<{ _embedded: { activities: Array<{ id: string }> } }>(`${project}/environments/dev/backup`, { headers: owner.headers, json: {} });
    await waitForActivity(ctx.server.url, projectId, backup.body._embedded.activities[0]!.id, owner.headers);
    const leftovers = () => [path.join('git', `${projectId}.git`), path.join('projects', projectId), path.join('backups', projectId)].filter((p) => fs.existsSync(path.join(ctx.server.dataDir, p)));
    expect(leftovers()).toHaveLength(3);

    const byProjectAdmin = await request(project, { method: 'DELETE', headers: projectAdmin.headers });
    expect(byProjectAdmin.status).toBe(403);
    expect(byProjectAdmin.body).toMatchObject({ detail: { missing_permission: 'owner' } });
    expect((await request<{ _links: Record<string, unknown> }>(project, { headers: projectAdmin.headers })).body._links).not.toHaveProperty('#delete');

    expect((await request(project, { method: 'DELETE', headers: owner.headers })).status).toBe(200);
    expect((await request(project, { headers: owner.headers })).status).toBe(404);
    expect(leftovers()).toEqual([]);
    for (const table of ['environments', 'variables', 'project_access', 'invitations', 'activities', 'backups']) {
      expect(await databaseRows(ctx, `select * from ${table} where project_id = ?`, [projectId]), table).toEqual([]);
    }
    expect(await databaseRows(ctx, 'select * from activity_log where activity_id = ?', [backup.body._embedded.activities[0]!.id])).toEqual([]);
    // Who deleted it, and what happened before, stays on record.
    const trail = await databaseRows(ctx, 'select action from audit_log where project_id = ? order by id', [projectId]);
    expect(trail.map((row) => row.action)).toEqual(expect.arrayContaining(['project.create', 'variable.create', 'project.delete']));
  });
});
