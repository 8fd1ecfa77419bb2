import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import type { PierClient } from '@pier/api';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';
import { waitForActivityInProcess } from '../../../../test-support/activities.js';

describe.each(databaseKinds())('backups (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_BACKUP_RETENTION: '3' }, worker: true });
  let admin: TestActor;
  let api: PierClient;
  let projectId: string;
  const inEnvironment = (environmentId: string) => ({ params: { path: { projectId, environmentId } } });
  const ofBackup = (environmentId: string, backupId: string) => ({ params: { path: { projectId, environmentId, backupId } } });

  async function dataDirOf(environment: string): Promise<string> {
    const env = await api.GET('/projects/{projectId}/environments/{environmentId}', inEnvironment(environment));
    const dir = path.join(ctx.server.dataDir, 'projects', projectId, 'environments', env.data!.machine_name, 'data');
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

  async function backup(environment: string, body: { safe?: boolean } = {}) {
    const response = await api.POST('/projects/{projectId}/environments/{environmentId}/backup', { ...inEnvironment(environment), body });
    expect(response.response.status).toBe(202);
    const queued = response.data!._embedded.activities[0]!;
    expect(queued).toMatchObject({ type: 'environment.backup', state: 'pending' });
    const activity = await waitForActivityInProcess(ctx.server, projectId, queued.id, admin.headers);
    expect(activity).toMatchObject({ state: 'complete', result: 'success', completion_percent: 100 });
    return { activity, backupId: String(queued.payload.backup_name) };
  }

  beforeAll(async () => {
    admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    api = apiAs(ctx.server, admin.headers);
    projectId = await createProjectInProcess(ctx.server, admin, 'Backups');
    await api.POST('/projects/{projectId}/environments/{environmentId}/branch', { ...inEnvironment('main'), body: { name: 'dev' } });
  });

  it('backs up, and restores the files byte for byte after they changed', async () => {
    const dir = await dataDirOf('main');
    fs.mkdirSync(path.join(dir, 'uploads/2026'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'uploads/2026/photo.bin'), randomBytes(300_000));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'version 1\n');
    const before = snapshot(dir);

    const { backupId } = await backup('main');
    const fetched = await api.GET('/projects/{projectId}/environments/{environmentId}/backups/{backupId}', ofBackup('main', backupId));
    expect(fetched.data).toMatchObject({ id: backupId, status: 'CREATED', restorable: true, safe: true, environment: 'main', automated: false });
    expect(Number(fetched.data!.size_used)).toBeGreaterThan(300_000);
    expect(fetched.data!._links).toHaveProperty('#restore');

    fs.writeFileSync(path.join(dir, 'notes.txt'), 'version 2\n');
    fs.rmSync(path.join(dir, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'new-file.txt'), 'should disappear');

    const restore = await api.POST('/projects/{projectId}/environments/{environmentId}/backups/{backupId}/restore', { ...ofBackup('main', backupId), body: {} });
    expect(restore.response.status).toBe(202);
    const restored = await waitForActivityInProcess(ctx.server, projectId, restore.data!._embedded.activities[0]!.id, admin.headers);
    expect(restored).toMatchObject({ type: 'environment.restore', result: 'success' });
    expect(snapshot(dir)).toEqual(before);
  });

  it('restores into another environment', async () => {
    const source = await dataDirOf('main');
    fs.writeFileSync(path.join(source, 'notes.txt'), 'for the copy\n');
    const expected = snapshot(source);
    const { backupId } = await backup('main', { safe: false });
    const restore = await api.POST('/projects/{projectId}/environments/{environmentId}/backups/{backupId}/restore', {
      ...ofBackup('main', backupId),
      body: { environment_name: 'dev' },
    });
    const done = await waitForActivityInProcess(ctx.server, projectId, restore.data!._embedded.activities[0]!.id, admin.headers);
    expect(done.result).toBe('success');
    expect(snapshot(await dataDirOf('dev'))).toEqual(expected);
    expect(snapshot(source)).toEqual(expected);
  });

  it('keeps the configured number of backups per environment, and removes the others with their manifests', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await backup('dev')).backupId);
    const list = await api.GET('/projects/{projectId}/environments/{environmentId}/backups', inEnvironment('dev'));
    const kept = list.data!.filter((b) => b.status === 'CREATED').map((b) => b.id);
    expect(kept).toHaveLength(3);
    // Manifests hold the environment's variable rows: none may outlive its archive.
    const files = fs.readdirSync(path.join(ctx.server.dataDir, 'backups'), { recursive: true }).map(String);
    for (const id of made) {
      const left = files.filter((f) => f.includes(id)).map((f) => f.slice(f.indexOf(id) + id.length)).sort();
      expect(left, id).toEqual(kept.includes(id) ? ['.tar.gz', '.tar.gz.manifest.json'] : []);
    }
  });

  it('lets only environment admins back up and restore, naming the missing permission', async () => {
    const viewer = await actorInProcess(ctx.server, `viewer-${kind}@example.com`);
    const contributor = await actorInProcess(ctx.server, `contrib-${kind}@example.com`);
    await grantInProcess(ctx.server, admin, projectId, viewer, ['viewer', 'production:viewer']);
    await grantInProcess(ctx.server, admin, projectId, contributor, ['viewer', 'production:contributor']);
    for (const who of [viewer, contributor]) {
      const as = apiAs(ctx.server, who.headers);
      const denied = await as.POST('/projects/{projectId}/environments/{environmentId}/backup', { ...inEnvironment('main'), body: {} });
      expect(denied.response.status).toBe(403);
      expect(denied.error).toMatchObject({ detail: { missing_permission: 'production:admin' } });
      const list = await as.GET('/projects/{projectId}/environments/{environmentId}/backups', inEnvironment('main'));
      expect(list.response.status).toBe(200);
      expect(list.data![0]?._links).not.toHaveProperty('#restore');
      const restore = await as.POST('/projects/{projectId}/environments/{environmentId}/backups/{backupId}/restore', { ...ofBackup('main', list.data![0]!.id), body: {} });
      expect(restore.response.status).toBe(403);
    }
  });

  it('deletes a backup and its archive', async () => {
    const { backupId } = await backup('dev');
    const deleted = await api.DELETE('/projects/{projectId}/environments/{environmentId}/backups/{backupId}', ofBackup('dev', backupId));
    expect(deleted.response.status).toBe(200);
    expect((await api.GET('/projects/{projectId}/environments/{environmentId}/backups/{backupId}', ofBackup('dev', backupId))).response.status).toBe(404);
    const archives = fs.readdirSync(path.join(ctx.server.dataDir, 'backups'), { recursive: true }).map(String);
    expect(archives.some((f) => f.includes(backupId))).toBe(false);
  });
});
