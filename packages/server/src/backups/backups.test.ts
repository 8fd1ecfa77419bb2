import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';
import { waitForActivity, type ActivityBody } from '../../../../test-support/activities.js';

type Accepted = { _embedded: { activities: ActivityBody[] } };

describe.each(databaseKinds())('backups (%s)', (kind) => {
  const ctx = usePierServer(kind, { env: { PIER_BACKUP_RETENTION: '3' } });
  let admin: TestActor;
  let projectId: string;
  const envUrl = (environment: string) => `${ctx.server.url}/projects/${projectId}/environments/${environment}`;

  async function dataDirOf(environment: string): Promise<string> {
    const env = await request(envUrl(environment), { headers: admin.headers });
    const dir = path.join(ctx.server.dataDir, 'projects', projectId, 'environments', String(env.body.machine_name), 'data');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  function snapshot(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) {
        const full = path.join(entry.parentPath, entry.name);
        files[path.relative(dir, full)] = fs.readFileSync(full).toString('base64');
      }
    }
    return files;
  }

  async function backup(environment: string, body: object = {}): Promise<{ activity: ActivityBody; backupId: string }> {
    const response = await request<Accepted>(`${envUrl(environment)}/backup`, { headers: admin.headers, json: body });
    expect(response.status).toBe(202);
    const queued = response.body._embedded.activities[0]!;
    expect(queued).toMatchObject({ type: 'environment.backup', state: 'pending' });
    const activity = await waitForActivity(ctx.server.url, projectId, queued.id, admin.headers);
    expect(activity).toMatchObject({ state: 'complete', result: 'success', completion_percent: 100 });
    return { activity, backupId: String(queued.payload.backup_name) };
  }

  beforeAll(async () => {
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Backups');
    await request(`${envUrl('main')}/branch`, { headers: admin.headers, json: { name: 'dev' } });
  });

  it('backs up, and restores the files byte for byte after they changed', async () => {
    const dir = await dataDirOf('main');
    fs.mkdirSync(path.join(dir, 'uploads/2026'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'uploads/2026/photo.bin'), randomBytes(300_000));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'version 1\n');
    const before = snapshot(dir);

    const { backupId } = await backup('main');
    const fetched = await request(`${envUrl('main')}/backups/${backupId}`, { headers: admin.headers });
    expect(fetched.body).toMatchObject({ id: backupId, status: 'CREATED', restorable: true, safe: true, environment: 'main', automated: false });
    expect(Number(fetched.body.size_used)).toBeGreaterThan(300_000);
    expect(fetched.body._links).toHaveProperty('#restore');

    fs.writeFileSync(path.join(dir, 'notes.txt'), 'version 2\n');
    fs.rmSync(path.join(dir, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'new-file.txt'), 'should disappear');

    const restore = await request<Accepted>(`${envUrl('main')}/backups/${backupId}/restore`, { headers: admin.headers, json: {} });
    expect(restore.status).toBe(202);
    const restored = await waitForActivity(ctx.server.url, projectId, restore.body._embedded.activities[0]!.id, admin.headers);
    expect(restored).toMatchObject({ type: 'environment.restore', result: 'success' });
    expect(snapshot(dir)).toEqual(before);
  });

  it('restores into another environment', async () => {
    const source = await dataDirOf('main');
    fs.writeFileSync(path.join(source, 'notes.txt'), 'for the copy\n');
    const expected = snapshot(source);
    const { backupId } = await backup('main', { safe: false });
    const restore = await request<Accepted>(`${envUrl('main')}/backups/${backupId}/restore`, { headers: admin.headers, json: { environment_name: 'dev' } });
    const done = await waitForActivity(ctx.server.url, projectId, restore.body._embedded.activities[0]!.id, admin.headers);
    expect(done.result).toBe('success');
    expect(snapshot(await dataDirOf('dev'))).toEqual(expected);
    expect(snapshot(source)).toEqual(expected);
  });

  it('keeps the configured number of backups per environment, and removes the others with their manifests', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await backup('dev')).backupId);
    const list = await request<Array<{ id: string; status: string }>>(`${envUrl('dev')}/backups`, { headers: admin.headers });
    const kept = list.body.filter((b) => b.status === 'CREATED').map((b) => b.id);
    expect(kept).toHaveLength(3);
    // Manifests hold the environment's variable rows: none may outlive its archive.
    const files = fs.readdirSync(path.join(ctx.server.dataDir, 'backups'), { recursive: true }).map(String);
    for (const id of made) {
      const left = files.filter((f) => f.includes(id)).map((f) => f.slice(f.indexOf(id) + id.length)).sort();
      expect(left, id).toEqual(kept.includes(id) ? ['.tar.gz', '.tar.gz.manifest.json'] : []);
    }
  });

  it('lets only environment admins back up and restore, naming the missing permission', async () => {
    const viewer = await actor(ctx.server, `viewer-${kind}@example.com`);
    const contributor = await actor(ctx.server, `contrib-${kind}@example.com`);
    await grant(ctx.server, admin, projectId, viewer, ['viewer', 'production:viewer']);
    await grant(ctx.server, admin, projectId, contributor, ['viewer', 'production:contributor']);
    for (const who of [viewer, contributor]) {
      const denied = await request(`${envUrl('main')}/backup`, { headers: who.headers, json: {} });
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ detail: { missing_permission: 'production:admin' } });
      const list = await request<Array<{ id: string; _links: Record<string, unknown> }>>(`${envUrl('main')}/backups`, { headers: who.headers });
      expect(list.status).toBe(200);
      expect(list.body[0]?._links).not.toHaveProperty('#restore');
      const restore = await request(`${envUrl('main')}/backups/${list.body[0]!.id}/restore`, { headers: who.headers, json: {} });
      expect(restore.status).toBe(403);
    }
  });

  it('deletes a backup and its archive', async () => {
    const { backupId } = await backup('dev');
    const deleted = await request(`${envUrl('dev')}/backups/${backupId}`, { method: 'DELETE', headers: admin.headers });
    expect(deleted.status).toBe(200);
    expect((await request(`${envUrl('dev')}/backups/${backupId}`, { headers: admin.headers })).status).toBe(404);
    const archives = fs.readdirSync(path.join(ctx.server.dataDir, 'backups'), { recursive: true }).map(String);
    expect(archives.some((f) => f.includes(backupId))).toBe(false);
  });
});
