import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';
import { waitForActivityInProcess, type ActivityBody } from '../../../../test-support/activities.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs, rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess } from '../../../../test-support/in-process-actors.js';

type Accepted = { _embedded: { activities: ActivityBody[] } };

async function fillDataFolder(dataDir: string, projectId: string, machineName: string, megabytes: number): Promise<void> {
  const dir = path.join(dataDir, 'projects', projectId, 'environments', machineName, 'data');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < megabytes; i++) fs.writeFileSync(path.join(dir, `blob-${i}.bin`), randomBytes(1024 * 1024));
}

describe.each(databaseKinds())('activities (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { worker: true });
  let admin: TestActor;
  let projectId: string;
  const api = () => apiAs(ctx.server, admin.headers);
  const inProject = () => ({ params: { path: { projectId } } });
  const inEnvironment = (environmentId: string) => ({ params: { path: { projectId, environmentId } } });
  const ofActivity = (activityId: string) => ({ params: { path: { projectId, activityId } } });
  const BACKUP = '/projects/{projectId}/environments/{environmentId}/backup';

  beforeAll(async () => {
    admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectInProcess(ctx.server, admin, 'Activities');
  });

  it('tells the whole story: variable and access changes appear as activities, newest first, filterable', async () => {
    const bot = await actorInProcess(ctx.server, `story-${kind}@example.com`);
    await grantInProcess(ctx.server, admin, projectId, bot, ['viewer', 'production:admin']);
    await api().POST('/projects/{projectId}/environments/{environmentId}/variables', { ...inEnvironment('main'), body: { name: 'env:X', value: '1' } });
    const backup = await apiAs(ctx.server, bot.headers).POST(BACKUP, { ...inEnvironment('main'), body: {} });
    await waitForActivityInProcess(ctx.server, projectId, backup.data!._embedded.activities[0]!.id, admin.headers);

    const all = (await api().GET('/projects/{projectId}/activities', inProject())).data!;
    expect(all.map((a) => a.type).slice(0, 3)).toEqual(['environment.backup', 'environment.variable.create', 'project.access.add']);
    const byBot = all[0]!;
    expect(byBot.started_by).toMatchObject({ email: `story-${kind}@example.com`, auth_method: 'api_token', api_token_name: `token-of-story-${kind}@example.com` });
    expect(byBot.payload).toMatchObject({ user: { email: `story-${kind}@example.com` } });

    const onlyBackups = await api().GET('/projects/{projectId}/environments/{environmentId}/activities', {
      params: { path: { projectId, environmentId: 'main' }, query: { type: ['environment.backup'], result: ['success'] } },
    });
    expect(onlyBackups.data!.map((a) => a.type)).toEqual(['environment.backup']);
    const two = await api().GET('/projects/{projectId}/activities', { params: { path: { projectId }, query: { count: 2, type: ['environment.backup', 'project.access.add'] } } });
    expect(two.data!.map((a) => a.type)).toEqual(['environment.backup', 'project.access.add']);
    const older = await api().GET('/projects/{projectId}/activities', { params: { path: { projectId }, query: { starts_at: '2000-01-01T00:00:00Z' } } });
    expect(older.data).toEqual([]);
  });

  it('streams the log as NDJSON with a seal, resumable from start_at without duplicates', async () => {
    const started = await api().POST(BACKUP, { ...inEnvironment('main'), body: { safe: true } });
    const activity = await waitForActivityInProcess(ctx.server, projectId, started.data!._embedded.activities[0]!.id, admin.headers);
    // NDJSON, not JSON: read as text, from the link the activity gives.
    const logPath = activity._links.log!.href.replace(/^https?:\/\/[^/]+/, '');
    const full = await rawRequest<string>(ctx.server, logPath, { headers: admin.headers });
    expect(full.headers.get('content-type')).toContain('application/x-ndjson');
    const ndjson = async (query: string) => {
      const answer = await ctx.server.fetch(new Request(`${ctx.server.url}${logPath}${query}`, { headers: admin.headers }));
      return (await answer.text()).trim().split('\n');
    };
    const lines = (await ndjson('')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ seal: true });
    const items = lines.slice(0, -1) as Array<{ _id: string; data: { timestamp: string; message: string } }>;
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((i) => i._id)).toEqual(items.map((_, index) => String(index)));
    expect(items[0]!.data.message).toContain('writes to the environment are paused');

    const resumed = await ndjson('?start_at=1');
    expect(resumed.map((l) => (JSON.parse(l) as { _id?: string })._id ?? 'seal')).toEqual([...items.slice(1).map((i) => i._id), 'seal']);
    const one = await ndjson('?start_at=1&max_items=1');
    expect(one).toHaveLength(1);
    expect(JSON.parse(one[0]!)).toMatchObject({ _id: '1' });
  });

  it('cancels a running activity', async () => {
    const main = (await api().GET('/projects/{projectId}/environments/{environmentId}', inEnvironment('main'))).data!;
    await fillDataFolder(ctx.server.dataDir, projectId, main.machine_name, 150);
    const started = await api().POST(BACKUP, { ...inEnvironment('main'), body: { safe: false } });
    const id = started.data!._embedded.activities[0]!.id;
    await expect
      .poll(async () => (await api().GET('/projects/{projectId}/activities/{activityId}', ofActivity(id))).data?.state, { timeout: 10_000, interval: 20 })
      .toBe('in_progress');
    const cancel = await api().POST('/projects/{projectId}/activities/{activityId}/cancel', ofActivity(id));
    expect(cancel.response.status).toBe(200);
    const done = await waitForActivityInProcess(ctx.server, projectId, id, admin.headers);
    expect(done).toMatchObject({ state: 'cancelled', result: 'failure' });
    const backups = await api().GET('/projects/{projectId}/environments/{environmentId}/backups', inEnvironment('main'));
    expect(backups.data!.find((b) => b.id === done.payload.backup_name)).toMatchObject({ restorable: false, status: 'FAILED' });
    const again = await api().POST('/projects/{projectId}/activities/{activityId}/cancel', ofActivity(id));
    expect(again.response.status).toBe(400);
  });
});

// A real socket: the last test is about headers arriving before the (still open) log stream ends,
// which `inject` cannot show (it answers only once the response has ended).
describe('activities wait in the queue while no worker runs', () => {
  const ctx = useListeningServer('sqlite', { env: { PIER_WORKER: 'off' } });

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
    const cancelled = await apiAs(ctx.server, admin.headers).POST('/projects/{projectId}/environments/{environmentId}/activities/{activityId}/cancel', {
      params: { path: { projectId, environmentId: 'main', activityId: id } },
    });
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data!._embedded.entity).toMatchObject({ state: 'cancelled', result: 'failure' });
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
