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

async function fillDataFolder(dataDir: string, projectId: string, machineName: string, megabytes: number): Promise<void> {
  const dir = path.join(dataDir, 'projects', projectId, 'environments', machineName, 'data');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < megabytes; i++) fs.writeFileSync(path.join(dir, `blob-${i}.bin`), randomBytes(1024 * 1024));
}

describe.each(databaseKinds())('activities (%s)', (kind) => {
  const ctx = usePierServer(kind);
  let admin: TestActor;
  let projectId: string;
  const projectUrl = () => `${ctx.server.url}/projects/${projectId}`;

  beforeAll(async () => {
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Activities');
  });

  it('tells the whole story: variable and access changes appear as activities, newest first, filterable', async () => {
    const bot = await actor(ctx.server, `story-${kind}@example.com`);
    await grant(ctx.server, admin, projectId, bot, ['viewer', 'production:admin']);
    await request(`${projectUrl()}/environments/main/variables`, { headers: admin.headers, json: { name: 'env:X', value: '1' } });
    const backup = await request<Accepted>(`${projectUrl()}/environments/main/backup`, { headers: bot.headers, json: {} });
    await waitForActivity(ctx.server.url, projectId, backup.body._embedded.activities[0]!.id, admin.headers);

    const all = await request<ActivityBody[]>(`${projectUrl()}/activities`, { headers: admin.headers });
    expect(all.body.map((a) => a.type).slice(0, 3)).toEqual(['environment.backup', 'environment.variable.create', 'project.access.add']);
    const byBot = all.body[0]! as ActivityBody & { started_by: Record<string, unknown> };
    expect(byBot.started_by).toMatchObject({ email: `story-${kind}@example.com`, auth_method: 'api_token', api_token_name: `token-of-story-${kind}@example.com` });
    expect(byBot.payload).toMatchObject({ user: { email: `story-${kind}@example.com` } });

    const onlyBackups = await request<ActivityBody[]>(`${projectUrl()}/environments/main/activities?type=environment.backup&result=success`, { headers: admin.headers });
    expect(onlyBackups.body.map((a) => a.type)).toEqual(['environment.backup']);
    const two = await request<ActivityBody[]>(`${projectUrl()}/activities?count=2&type=environment.backup&type=project.access.add`, { headers: admin.headers });
    expect(two.body.map((a) => a.type)).toEqual(['environment.backup', 'project.access.add']);
    const older = await request<ActivityBody[]>(`${projectUrl()}/activities?starts_at=2000-01-01T00:00:00Z`, { headers: admin.headers });
    expect(older.body).toEqual([]);
  });

  it('streams the log as NDJSON with a seal, resumable from start_at without duplicates', async () => {
    const started = await request<Accepted>(`${projectUrl()}/environments/main/backup`, { headers: admin.headers, json: { safe: true } });
    const activity = await waitForActivity(ctx.server.url, projectId, started.body._embedded.activities[0]!.id, admin.headers);
    const logUrl = activity._links.log!.href.replace(/^https?:\/\/[^/]+/, ctx.server.url);
    const full = await fetch(logUrl, { headers: admin.headers });
    expect(full.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await full.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ seal: true });
    const items = lines.slice(0, -1) as Array<{ _id: string; data: { timestamp: string; message: string } }>;
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((i) => i._id)).toEqual(items.map((_, index) => String(index)));
    expect(items[0]!.data.message).toContain('writes to the environment are paused');

    const resumed = (await (await fetch(`${logUrl}?start_at=1`, { headers: admin.headers })).text()).trim().split('\n');
    expect(resumed.map((l) => (JSON.parse(l) as { _id?: string })._id ?? 'seal')).toEqual([...items.slice(1).map((i) => i._id), 'seal']);
    const one = (await (await fetch(`${logUrl}?start_at=1&max_items=1`, { headers: admin.headers })).text()).trim().split('\n');
    expect(one).toHaveLength(1);
    expect(JSON.parse(one[0]!)).toMatchObject({ _id: '1' });
  });

  it('cancels a running activity', async () => {
    const main = await request(`${projectUrl()}/environments/main`, { headers: admin.headers });
    await fillDataFolder(ctx.server.dataDir, projectId, String(main.body.machine_name), 150);
    const started = await request<Accepted>(`${projectUrl()}/environments/main/backup`, { headers: admin.headers, json: { safe: false } });
    const id = started.body._embedded.activities[0]!.id;
    await expect.poll(async () => (await request<ActivityBody>(`${projectUrl()}/activities/${id}`, { headers: admin.headers })).body.state, { timeout: 10_000, interval: 20 }).toBe('in_progress');
    const cancel = await request(`${projectUrl()}/activities/${id}/cancel`, { method: 'POST', headers: admin.headers });
    expect(cancel.status).toBe(200);
    const done = await waitForActivity(ctx.server.url, projectId, id, admin.headers);
    expect(done).toMatchObject({ state: 'cancelled', result: 'failure' });
    const backups = await request<Array<{ id: string; restorable: boolean; status: string }>>(`${projectUrl()}/environments/main/backups`, { headers: admin.headers });
    expect(backups.body.find((b) => b.id === done.payload.backup_name)).toMatchObject({ restorable: false, status: 'FAILED' });
    const again = await request(`${projectUrl()}/activities/${id}/cancel`, { method: 'POST', headers: admin.headers });
    expect(again.status).toBe(400);
  });
});

describe('activities wait in the queue while no worker runs', () => {
  const ctx = usePierServer('sqlite', { env: { PIER_WORKER: 'off' } });

  it('cancels a pending activity at once, and only the starter or an admin may', async () => {
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectAs(ctx.server, admin, 'Queue');
    const contributor = await actor(ctx.server, 'contributor@example.com');
    await grant(ctx.server, admin, projectId, contributor, ['viewer', 'production:contributor']);
    const started = await request<Accepted>(`${ctx.server.url}/projects/${projectId}/environments/main/backup`, { headers: admin.headers, json: {} });
    const id = started.body._embedded.activities[0]!.id;
    const pending = await request<ActivityBody>(`${ctx.server.url}/projects/${projectId}/environments/main/activities/${id}`, { headers: contributor.headers });
    expect(pending.body.state).toBe('pending');
    expect(pending.body._links).not.toHaveProperty('#cancel');
    const denied = await request(`${ctx.server.url}/projects/${projectId}/activities/${id}/cancel`, { method: 'POST', headers: contributor.headers });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ detail: { missing_permission: 'production:admin' } });
    const cancelled = await request<{ _embedded: { entity: ActivityBody } }>(`${ctx.server.url}/projects/${projectId}/environments/main/activities/${id}/cancel`, { method: 'POST', headers: admin.headers });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body._embedded.entity).toMatchObject({ state: 'cancelled', result: 'failure' });
    const log = await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${id}/log`, { headers: admin.headers })).text();
    expect(log.trim()).toBe('{"seal":true}');
  });

  it('answers a log request at once while a quiet activity has nothing to say yet', async () => {
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true, tokenName: 'quiet-log' });
    const projectId = await createProjectAs(ctx.server, admin, 'Quiet');
    const started = await request<Accepted>(`${ctx.server.url}/projects/${projectId}/environments/main/backup`, { headers: admin.headers, json: {} });
    const id = started.body._embedded.activities[0]!.id;
    const waiting = new AbortController();
    const askedAt = Date.now();
    // The activity stays pending (no worker) and has no lines: the stream waits, but the headers come now.
    const response = await fetch(`${ctx.server.url}/projects/${projectId}/activities/${id}/log`, { headers: admin.headers, signal: waiting.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    expect(Date.now() - askedAt).toBeLessThan(5_000);
    waiting.abort();
  });
});
