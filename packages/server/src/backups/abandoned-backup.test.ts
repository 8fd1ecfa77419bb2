import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds, startWorkerProcess } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actor, createProjectAs, type TestActor } from '../../../../test-support/actors.js';
import { databaseRows } from '../../../../test-support/database-rows.js';
import type { ActivityBody } from '../../../../test-support/activities.js';

/** A safe backup pauses writes; when its workers die every time, the pause must not outlive it. */
describe.each(databaseKinds())('a safe backup whose workers all die (%s)', (kind) => {
  const ctx = useListeningServer(kind, { env: { PIER_WORKER: 'off', PIER_ACTIVITY_LEASE_SECONDS: '1' } });
  let admin: TestActor;
  let projectId: string;

  beforeAll(async () => {
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Abandoned');
    const main = await request(`${ctx.server.url}/projects/${projectId}/environments/main`, { headers: admin.headers });
    const dir = path.join(ctx.server.dataDir, 'projects', projectId, 'environments', String(main.body.machine_name), 'data');
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 16; i++) fs.writeFileSync(path.join(dir, `file-${i}.bin`), randomBytes(1024 * 1024));
  });

  const pausedBy = async () => (await databaseRows(ctx, 'select writes_paused_by from environments where project_id = ? and id = ?', [projectId, 'main']))[0]?.writes_paused_by;

  it('fails the backup and lifts the write pause once the queue gives up on it', async () => {
    const queued = await apiAs(ctx.server, admin.headers).POST('/projects/{projectId}/environments/{environmentId}/backup', {
      params: { path: { projectId, environmentId: 'main' } },
      body: { safe: true },
    });
    const activity = queued.data!._embedded.activities[0]!;
    const state = async () => (await request<ActivityBody>(`${ctx.server.url}/projects/${projectId}/activities/${activity.id}`, { headers: admin.headers })).body;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const worker = startWorkerProcess(ctx.server, { PIER_ACTIVITY_LEASE_SECONDS: '1' });
      // Killed mid-run: once this attempt holds the activity and the environment is paused.
      await expect.poll(async () => (await state()).attempts, { timeout: 20_000, interval: 20 }).toBe(attempt);
      await expect.poll(pausedBy, { timeout: 20_000, interval: 20 }).toBe(activity.id);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, 1_200));
    }
    const survivor = startWorkerProcess(ctx.server, { PIER_ACTIVITY_LEASE_SECONDS: '1' });
    try {
      await expect.poll(async () => (await state()).result, { timeout: 20_000 }).toBe('failure');
      // The API reports Platform.sh's failure reasons: the lost leases show as an error after three attempts.
      expect(await state()).toMatchObject({ state: 'complete', failure_reason: 'error', attempts: 3 });
      expect(await pausedBy()).toBeNull();
      const backup = await request(`${ctx.server.url}/projects/${projectId}/environments/main/backups/${String(activity.payload.backup_name)}`, { headers: admin.headers });
      expect(backup.body).toMatchObject({ status: 'FAILED', restorable: false });
    } finally {
      await survivor.stop();
    }
  }, 120_000);
});
