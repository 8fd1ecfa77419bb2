/**
 * Backing up Pier itself, end to end: an installation with a pushed repository, a sensitive
 * variable and files its environment wrote is archived while it runs, wiped, and restored
 * elsewhere; the old API token still exchanges, the old SSH certificate still clones, the
 * variable still decrypts, and the environment's files keep their owner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createTestDatabase, databaseKinds, exchange, runServerCommand, spawnServerCommand, type PierServer, type TestDatabase } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { request } from '../../../../test-support/http.js';
import { startInProcessServer } from '../../../../test-support/in-process.js';
import { actor, createProjectAs } from '../../../../test-support/actors.js';
import { canRunGateway, gatewaySettings, pushFiles, sshClient, startGateway } from '../../../../test-support/ssh-gateway.js';

/**
 * `pier-server backup|restore`: the end-to-end round trip runs the built binary (beside servers
 * listening in this process); refusals run the same command line in process (its messages and
 * exit codes, without a process start each).
 */
const pierServer = spawnServerCommand;
const pierServerInProcess = runServerCommand;

describe.each(databaseKinds())('backing up and restoring Pier itself (%s)', (kind) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it.runIf(canRunGateway)('restores an installation that accepts the same tokens and certificates', { timeout: 240_000 }, async () => {
    const settings = await gatewaySettings();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-instance-backup-'));
    cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
    const firstDatabase = await createTestDatabase(kind, { migrated: true });
    cleanup.push(() => firstDatabase.drop());
    const original = await startListeningServer({ dataDir: path.join(work, 'original'), databaseUrl: firstDatabase.url, env: settings });
    cleanup.push(() => original.stop());

    // An installation in use: a token for CI, a repository, a secret, files written by the app.
    let gateway = await startGateway(original);
    const admin = await actor(original, ADMIN_EMAIL, { existing: true });
    const ciToken = await createApiToken(original, ADMIN_EMAIL, 'ci');
    const projectId = await createProjectAs(original, admin, 'Kept');
    const variable = await request(`${original.url}/projects/${projectId}/environments/main/variables`, { headers: admin.headers, json: { name: 'env:GREETING', value: 'hello from before', is_sensitive: true } });
    expect(variable.status).toBe(201);
    const client = await sshClient(original, gateway, admin, projectId);
    const head = await pushFiles(client, projectId, 'main', { 'README.md': '# kept\n' });
    const written = await client.ssh('main.pier', 'echo "written by the app" > /data/note.txt && stat -c %u /data/note.txt');
    expect(written.status, written.output).toBe(0);
    const appUid = Number(written.output.trim());
    expect(appUid).toBeGreaterThanOrEqual(1_900_000_000);
    await expect
      .poll(async () => (await request<unknown[]>(`${original.url}/projects/${projectId}/activities?state=pending&state=in_progress`, { headers: admin.headers })).body.length, { timeout: 60_000 })
      .toBe(0);
    // Servers before this one linked the deployed build by its absolute path.
    const machineName = String((await request(`${original.url}/projects/${projectId}/environments/main`, { headers: admin.headers })).body.machine_name);
    const current = path.join(original.dataDir, 'projects', projectId, 'environments', machineName, 'current');
    const absolute = path.resolve(path.dirname(current), fs.readlinkSync(current));
    fs.rmSync(current);
    fs.symlinkSync(absolute, current);

    // Backed up while it runs.
    const archive = path.join(work, 'pier-backup.tar.gz');
    const backup = await pierServer(original.env, ['backup', archive]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    expect((await pierServerInProcess(original.env, ['backup', archive])).stderr).toContain('exists already');

    // Wiped.
    await gateway.stop();
    await original.stop();
    fs.rmSync(original.dataDir, { recursive: true, force: true });
    await firstDatabase.drop();

    // Restored elsewhere, into a new database.
    const secondDatabase = await createTestDatabase(kind);
    cleanup.push(() => secondDatabase.drop());
    const restoredDir = path.join(work, 'restored');
    const env = { ...original.env, PIER_DATA_DIR: restoredDir, ...(secondDatabase.url ? { DATABASE_URL: secondDatabase.url } : {}) };
    const restore = await pierServer(env, ['restore', archive]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('Restored the backup of');
    if (kind === 'sqlite') expect(fs.statSync(path.join(restoredDir, 'pier.sqlite')).mode & 0o777).toBe(0o600);
    expect((await pierServerInProcess(env, ['restore', archive])).stderr).toContain('is not empty');

    const restored: PierServer = await startListeningServer({ dataDir: restoredDir, databaseUrl: secondDatabase.url, env: settings });
    cleanup.push(() => restored.stop());
    gateway = await startGateway(restored);
    cleanup.push(() => gateway.stop());

    // The old API token exchanges; the old certificate clones; the secret decrypts; files kept their owner.
    const headers = { authorization: `Bearer ${await exchange(restored.url, ciToken)}` };
    expect((await request(`${restored.url}/projects/${projectId}`, { headers })).status).toBe(200);
    const clone = await client.git(['clone', `gateway:${projectId}.git`, 'after-restore']);
    expect(clone.status, clone.output).toBe(0);
    expect((await client.git(['rev-parse', 'HEAD'], path.join(client.dir, 'after-restore'))).output.trim()).toBe(head);
    const session = await client.ssh('main.pier', 'echo "$GREETING"; cat /data/note.txt; stat -c %u /data/note.txt; cat /app/README.md');
    expect(session.output.trim().split('\n')).toEqual(['hello from before', 'written by the app', String(appUid), '# kept']);
    expect(fs.readlinkSync(path.join(restoredDir, 'projects', projectId, 'environments', machineName, 'current'))).toMatch(/^builds\/[0-9a-f]{40}$/);
    const dataFile = path.join(restoredDir, 'projects', projectId, 'environments', machineName, 'data', 'note.txt');
    expect(fs.statSync(dataFile).uid).toBe(appUid);
  });

  it('refuses what cannot be restored, before writing anything', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-instance-backup-'));
    cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
    const database: TestDatabase = await createTestDatabase(kind, { migrated: true });
    cleanup.push(() => database.drop());
    const { server, close } = await startInProcessServer(database, { dataDir: path.join(work, 'data') });
    cleanup.push(close);
    const archive = path.join(work, 'backup.tar.gz');
    expect((await pierServerInProcess(server.env, ['backup', archive])).code).toBe(0);
    expect((await pierServerInProcess(server.env, ['backup', path.join(server.dataDir, 'inside.tar.gz')])).stderr).toContain('outside the data directory');

    const empty = path.join(work, 'empty');
    const target = { ...server.env, PIER_DATA_DIR: empty };
    const notABackup = path.join(work, 'notes.txt');
    fs.writeFileSync(notABackup, 'hello\n');
    expect(await pierServerInProcess(target, ['restore', notABackup])).toMatchObject({ code: 1, stderr: expect.stringContaining('is not a Pier backup') });
    expect(await pierServerInProcess({ ...target, PIER_SECRETS_KEY: 'x'.repeat(40) }, ['restore', archive])).toMatchObject({ code: 1, stderr: expect.stringContaining('unset PIER_SECRETS_KEY') });
    const otherKind = kind === 'sqlite' ? { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } : { DATABASE_URL: '' };
    expect((await pierServerInProcess({ ...target, ...otherKind }, ['restore', archive])).stderr).toMatch(/This backup holds a (SQLite|PostgreSQL) database/);
    if (kind === 'postgres') expect((await pierServerInProcess(target, ['restore', archive])).stderr).toContain('The database in DATABASE_URL is not empty');
    expect(fs.existsSync(empty)).toBe(false);
  });

  it('restores an installation keyed by PIER_SECRETS_KEY only with that same key', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-instance-backup-'));
    cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
    // The backed-up installation's database may start migrated; a restore needs an empty one.
    const [first, second] = [await createTestDatabase(kind, { migrated: true }), await createTestDatabase(kind)];
    cleanup.push(() => first.drop(), () => second.drop());
    const key = 'the shared secrets key of every node 0123456789';
    const { server, close } = await startInProcessServer(first, { dataDir: path.join(work, 'data'), env: { PIER_SECRETS_KEY: key } });
    cleanup.push(close);
    const archive = path.join(work, 'backup.tar.gz');
    const backup = await pierServerInProcess(server.env, ['backup', archive]);
    expect(backup.stdout).toContain('PIER_SECRETS_KEY is not in the archive');

    const target: Record<string, string> = { ...server.env, PIER_DATA_DIR: path.join(work, 'restored'), DATABASE_URL: second.url ?? '' };
    delete target.PIER_SECRETS_KEY;
    expect((await pierServerInProcess(target, ['restore', archive])).stderr).toContain('set the same PIER_SECRETS_KEY');
    expect((await pierServerInProcess({ ...target, PIER_SECRETS_KEY: `${key}!` }, ['restore', archive])).stderr).toContain('PIER_SECRETS_KEY is not the one this backup was made with');
    expect(gunzipSync(fs.readFileSync(archive)).includes(Buffer.from(key))).toBe(false);
    expect((await pierServerInProcess({ ...target, PIER_SECRETS_KEY: key }, ['restore', archive])).code).toBe(0);
  });
});
