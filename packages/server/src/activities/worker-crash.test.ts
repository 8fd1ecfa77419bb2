import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds, startWorkerProcess } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actor, createProjectAs, type TestActor } from '../../../../test-support/actors.js';
import type { ActivityBody } from '../../../../test-support/activities.js';

/**
 * kill -9 the worker process mid-backup, again and again: afterwards every activity has finished
 * (done, re-run to completion, or failed cleanly), none is stuck, and no half-written backup is
 * restorable.
 */
describe.each(databaseKinds())('worker crashes (%s)', (kind) => {
  const ctx = useListeningServer(kind, { env: { PIER_WORKER: 'off', PIER_ACTIVITY_LEASE_SECONDS: '1' } });
  let admin: TestActor;
  let projectId: string;

  const startWorker = () => startWorkerProcess(ctx.server, { PIER_ACTIVITY_LEASE_SECONDS: '1', PIER_WORKER_CONCURRENCY: '3' });

  beforeAll(async () => {
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Crashes');
    for (const name of ['dev1', 'dev2']) await request(`${ctx.server.url}/projects/${projectId}/environments/main/branch`, { headers: admin.headers, json: { name } });
    for (const environment of ['main', 'dev1', 'dev2']) {
      const env = await request(`${ctx.server.url}/projects/${projectId}/environments/${environment}`, { headers: admin.headers });
      const dir = path.join(ctx.server.dataDir, 'projects', projectId, 'environments', String(env.body.machine_name), 'data');
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(dir, `file-${i}.bin`), randomBytes(1024 * 1024));
    }
  });

  it('leaves no activity stuck and no partial backup restorable', async () => {
    const ids: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const environment of ['main', 'dev1', 'dev2']) {
        const response = await apiAs(ctx.server, admin.headers).POST('/projects/{projectId}/environments/{environmentId}/backup', {
          params: { path: { projectId, environmentId: environment } },
          body: { safe: round === 0 },
        });
        expect(response.response.status).toBe(202);
        ids.push(response.data!._embedded.activities[0]!.id);
      }
    }

    const running = async () =>
      (await request<ActivityBody[]>(`${ctx.server.url}/projects/${projectId}/activities?state=in_progress`, { headers: admin.headers })).body.length;
    for (let crash = 0; crash < 6; crash++) {
      const worker = startWorker();
      // Kill it mid-way: once it holds an activity, after a random part of a backup.
      const deadline = Date.now() + 10_000;
      while ((await running()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 400)));
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      // Let the lease of what it held run out before the next worker starts.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }

    const survivor = startWorker();
    try {
      const finished = async () => {
        const all = await Promise.all(ids.map(async (id) => (await request<ActivityBody>(`${ctx.server.url}/projects/${projectId}/activities/${id}`, { headers: admin.headers })).body));
        return all.every((a) => a.state === 'complete' || a.state === 'cancelled') ? all : undefined;
      };
      await expect.poll(finished, { timeout: 60_000, interval: 250 }).toBeDefined();
      const activities = (await finished())!;
      for (const activity of activities) {
        expect(activity.state).toBe('complete');
        if (activity.result === 'failure') expect(['lease', 'error']).toContain(activity.failure_reason);
      }
      expect(activities.some((a) => a.result === 'success')).toBe(true);
      expect(activities.reduce((sum, a) => sum + a.attempts, 0)).toBeGreaterThan(activities.length);

      for (const environment of ['main', 'dev1', 'dev2']) {
        const backups = await request<Array<{ id: string; restorable: boolean; status: string; sha256: string | null }>>(
          `${ctx.server.url}/projects/${projectId}/environments/${environment}/backups`,
          { headers: admin.headers },
        );
        for (const backup of backups.body) {
          if (!backup.restorable) {
            expect(backup.status).not.toBe('CREATED');
            continue;
          }
          const archives = fs.readdirSync(path.join(ctx.server.dataDir, 'backups'), { recursive: true }).map(String);
          const archive = archives.find((f) => f.endsWith(`${backup.id}.tar.gz`));
          expect(archive, `archive of restorable backup ${backup.id}`).toBeDefined();
          const bytes = fs.readFileSync(path.join(ctx.server.dataDir, 'backups', archive!));
          expect(createHash('sha256').update(bytes).digest('hex')).toBe(backup.sha256);
        }
      }
    } finally {
      await survivor.stop();
    }
  }, 120_000);
});
