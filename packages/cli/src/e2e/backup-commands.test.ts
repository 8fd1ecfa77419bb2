import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actor, grant, type TestActor } from '../../../../test-support/actors.js';
import { ADMIN_EMAIL, createApiToken } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { ciEnv, runCli, type CliResult } from '../testing/run-cli.js';

/**
 * backup:* and activity:* against a real server with its activity worker, run as the seed's
 * cron job does: a machine user's PIER_CLI_TOKEN, the project and branch from PIER_PROJECT and
 * PIER_BRANCH (or -p/-e), and files in the environments' data folders compared byte for byte.
 */
const cli = useCliServer({ project: 'Backups' });
let admin: TestActor;

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

beforeAll(async () => {
  admin = await actor(cli.server, ADMIN_EMAIL, { existing: true });
  expect((await runCli(['environment:branch', 'feature', 'main', '-p', cli.projectId], { env: cli.adminEnv })).code).toBe(0);
});

const pier = (...args: string[]): Promise<CliResult> => runCli(args, { env: cli.adminEnv });

async function dataDir(environment: string): Promise<string> {
  const machineName = (await pier('environment:info', 'machine_name', '-p', cli.projectId, '-e', environment)).stdout.trim();
  const dir = path.join(cli.server.dataDir, 'projects', cli.projectId, 'environments', machineName, 'data');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every file under a folder with its bytes, keyed by relative path. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('base64');
  }
  return files;
}

function writeFiles(dir: string): void {
  fs.mkdirSync(path.join(dir, 'uploads/2024'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'uploads/2024/photo.bin'), randomBytes(200_000));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'first version\n');
  fs.writeFileSync(path.join(dir, 'empty'), '');
}

/** A waiting backup:create; returns the backup name it printed. */
async function backUp(environment: string): Promise<string> {
  const result = await pier('backup:create', environment, '-p', cli.projectId, '--yes');
  expect(result.stderr).toContain('The activity succeeded: [');
  expect(result.code).toBe(0);
  return /^Backup name: (\S+)\n$/.exec(result.stdout)?.[1] ?? '';
}

describe('backup:create', () => {
  it("the seed's `backup:create --yes --no-wait` as a production-admin machine user, from PIER_PROJECT/PIER_BRANCH", async () => {
    const bot = await actor(cli.server, 'backup-bot@example.com');
    await grant(cli.server, admin, cli.projectId, bot, ['viewer', 'production:admin']);
    const cron = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, bot.email, 'cron'), PIER_PROJECT: cli.projectId, PIER_BRANCH: 'main' });
    const started = Date.now();
    const result = await runCli(['backup:create', '--yes', '--no-wait'], { env: cron });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.stdout).toMatch(new RegExp(`^Backup name: ${uuid}\\n$`));
    expect(result.stderr).toContain('Creating a backup of main.\nNote: this may delete an older backup if the quota has been reached.\nAre you sure you want to continue? [Y/n] y\n');
    const activityId = new RegExp(`Activity ID: (${uuid})`).exec(result.stderr)?.[1] ?? '';
    // activity:log follows the log until it is sealed, so afterwards the backup exists.
    const log = await runCli(['activity:log', activityId], { env: cron });
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('Archiving');
    const backupName = result.stdout.trim().slice('Backup name: '.length);
    expect((await runCli(['backup:get', backupName, '-P', 'status'], { env: cron })).stdout).toBe('CREATED\n');
    const startedBy = await runCli(['activity:get', activityId, '-P', 'started_by'], { env: cron });
    expect(JSON.parse(startedBy.stdout)).toMatchObject({ email: 'backup-bot@example.com', auth_method: 'api_token', api_token_name: 'cron' });
  });

  it('waiting shows the streamed log (plain lines without a terminal) and the result; --live sends safe: false', async () => {
    fs.writeFileSync(path.join(await dataDir('main'), 'a.txt'), 'a');
    const result = await pier('backup:create', '-p', cli.projectId, '-e', 'main', '--live', '-y');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: use the --no-wait (-W) option if you are running this in a cron job.');
    expect(result.stderr).toMatch(new RegExp(`Waiting for the activity ${uuid} \\(admin@example.com created a live backup of main\\):\\n`));
    expect(result.stderr).toMatch(/Archiving \d+ file\(s\) of environment main\.\n/);
    expect(result.stderr).toMatch(new RegExp(`The activity succeeded: \\[${uuid}\\] admin@example.com created a live backup of main\\n$`));
    expect(result.stderr).not.toContain('\r');
    const backupName = result.stdout.trim().slice('Backup name: '.length);
    expect((await pier('backup:get', backupName, '-p', cli.projectId, '-e', 'main', '-P', 'live')).stdout).toBe('true\n');
  });

  it('contributors get exit 6 naming the missing permission; an inactive environment is refused', async () => {
    const dev = await actor(cli.server, 'dev@example.com');
    await grant(cli.server, admin, cli.projectId, dev, ['viewer', 'development:contributor', 'production:contributor']);
    const devEnv = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, dev.email, 'dev') });
    const result = await runCli(['backup:create', '-p', cli.projectId, '-e', 'main', '--yes'], { env: devEnv });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('Missing permission: production:admin');
    expect(result.stdout).toBe('');
    expect(await runCli(['backup:create', 'feature', '-p', cli.projectId, '--yes'], { env: devEnv })).toMatchObject({ code: 6, stderr: expect.stringContaining('Missing permission: development:admin') });
    // Without a role on production, production is not even visible.
    const devOnly = await actor(cli.server, 'dev-only@example.com');
    await grant(cli.server, admin, cli.projectId, devOnly, ['viewer', 'development:contributor']);
    const devOnlyEnv = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, devOnly.email, 'dev') });
    expect(await runCli(['backup:create', '-p', cli.projectId, '-e', 'main', '--yes'], { env: devOnlyEnv })).toMatchObject({ code: 6, stderr: expect.stringContaining('Missing permission: production:viewer') });
    expect((await pier('environment:deactivate', 'feature', '-p', cli.projectId, '--yes')).code).toBe(0);
    const inactive = await pier('backup:create', 'feature', '-p', cli.projectId, '--yes');
    expect(inactive).toMatchObject({ code: 1, stderr: expect.stringContaining('Operation not available: cannot create a backup of feature') });
    expect((await pier('environment:activate', 'feature', '-p', cli.projectId, '--yes')).code).toBe(0);
  });
});

describe('backup:list, backup:get, backup:delete', () => {
  it('lists backups newest first in every format', async () => {
    const table = (await pier('backups', '-p', cli.projectId, '-e', 'main')).stdout;
    expect(table.split('\n')[1]).toMatch(/^\| created_at +\| id +\| restorable +\|$/);
    const csv = (await pier('backup:list', '-p', cli.projectId, '-e', 'main', '--format', 'csv', '-c', 'id,status,live')).stdout.trim().split('\n');
    expect(csv[0]).toBe('id,status,live');
    expect(csv.slice(1).every((line) => new RegExp(`^${uuid},CREATED,(true|false)$`).test(line))).toBe(true);
    expect(csv[1]).toMatch(/,true$/); // the newest is the live backup
    const tsv = (await pier('backup:list', '-p', cli.projectId, '-e', 'main', '--format', 'tsv', '--no-header', '-c', 'restorable')).stdout;
    expect(tsv).toBe('true\n'.repeat(csv.length - 1));
    const plain = (await pier('backup:list', '-p', cli.projectId, '-e', 'main', '--format', 'plain', '-c', 'id,created_at', '--date-fmt', 'Y')).stdout;
    expect(plain).toMatch(new RegExp(`^id\\tcreated_at\\n(${uuid}\\t\\d{4}\\n)+$`));
    const json = JSON.parse((await pier('backup:list', '-p', cli.projectId, '-e', 'main', '--format', 'json', '-c', '+size_used,sha256')).stdout) as Record<string, unknown>[];
    expect(json[0]).toEqual({ created_at: expect.any(String), id: expect.stringMatching(new RegExp(uuid)), restorable: true, size_used: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const none = await pier('backup:list', '-p', cli.projectId, '-e', 'feature');
    expect(none).toMatchObject({ code: 1, stderr: 'No backups found\n', stdout: '' });
  });

  it('backup:get shows one backup; backup:delete removes it', async () => {
    const id = (await pier('backup:list', '-p', cli.projectId, '-e', 'main', '--format', 'plain', '--no-header', '-c', 'id')).stdout.split('\n')[0] ?? '';
    const properties = JSON.parse((await pier('backup:get', id, '-p', cli.projectId, '-e', 'main', '--format', 'json')).stdout) as Record<string, unknown>;
    expect(properties).toMatchObject({ id, environment: 'main', status: 'CREATED', restorable: true });
    expect(properties).not.toHaveProperty('_links');
    const deleted = await pier('backup:delete', id, '-p', cli.projectId, '-e', 'main', '--yes');
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain(`Deleted backup ${id}`);
    expect(await pier('backup:get', id, '-p', cli.projectId, '-e', 'main')).toMatchObject({ code: 1, stderr: expect.stringContaining(`Backup not found: ${id}`) });
  });
});

describe('backup:restore', () => {
  it('brings the files back byte for byte, in place and into another environment', async () => {
    const main = await dataDir('main');
    fs.rmSync(main, { recursive: true, force: true });
    fs.mkdirSync(main, { recursive: true });
    writeFiles(main);
    const before = snapshot(main);
    const backupName = await backUp('main');

    fs.writeFileSync(path.join(main, 'notes.txt'), 'changed\n');
    fs.rmSync(path.join(main, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(main, 'new.txt'), 'not in the backup');
    expect(snapshot(main)).not.toEqual(before);

    const restored = await pier('backup:restore', backupName, '-p', cli.projectId, '-e', 'main', '--yes');
    expect(restored.code).toBe(0);
    expect(restored.stderr).toContain('Are you sure you want to restore this backup? [Y/n] y');
    expect(restored.stderr).toMatch(new RegExp(`The activity succeeded: \\[${uuid}\\] admin@example.com restored backup ${backupName} of main into main`));
    expect(snapshot(main)).toEqual(before);

    const feature = await dataDir('feature');
    fs.writeFileSync(path.join(feature, 'feature-only.txt'), 'x');
    const into = await pier('backup:restore', backupName, '-p', cli.projectId, '-e', 'main', '--target', 'feature', '--yes');
    expect(into.code).toBe(0);
    expect(into.stderr).toContain('Are you sure you want to restore this backup to the environment feature? [Y/n] y');
    expect(snapshot(feature)).toEqual(before);
  });

  it('--no-wait prints the activity id; activity:log follows it to the end', async () => {
    const result = await pier('backup:restore', '-p', cli.projectId, '-e', 'main', '--yes', '--no-wait');
    expect(result.code).toBe(0);
    const activityId = result.stdout.trim();
    expect(activityId).toMatch(new RegExp(`^${uuid}$`));
    const log = await pier('activity:log', activityId, '-p', cli.projectId, '--timestamps');
    expect(log.code).toBe(0);
    expect(log.stderr).toContain(`Activity ID: ${activityId}\nType: environment.restore\n`);
    expect(log.stdout).toMatch(/^\[\d{4}-\d\d-\d\dT[^\]]+\] Verifying backup /);
    expect(log.stdout).toMatch(/Restored backup \S+ into main\.\n$/);
  });

  it('a restore that fails (corrupted archive) ends with "The activity failed" and exit 1', async () => {
    const backupName = await backUp('feature');
    const archive = fs
      .readdirSync(path.join(cli.server.dataDir, 'backups'), { recursive: true, withFileTypes: true })
      .find((entry) => entry.name === `${backupName}.tar.gz`);
    expect(archive).toBeDefined();
    fs.appendFileSync(path.join(archive?.parentPath ?? '', archive?.name ?? ''), 'garbage');
    const result = await pier('backup:restore', backupName, '-p', cli.projectId, '-e', 'feature', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: The backup archive does not match its checksum.');
    expect(result.stderr).toMatch(new RegExp(`The activity failed: \\[${uuid}\\] .*\\n$`));
  });
});

describe('activity:list, activity:get, activity:log', () => {
  it('lists the environment\'s activities, or with --all the project\'s, in every format', async () => {
    const table = (await pier('activities', '-p', cli.projectId, '-e', 'main')).stdout;
    expect(table.split('\n')[1]).toMatch(/^\| id +\| created +\| description +\| progress +\| state +\| result +\|$/);
    const csv = (await pier('activity:list', '-p', cli.projectId, '-e', 'main', '--format', 'csv', '-c', 'type,state,result,progress', '--limit', '50')).stdout;
    expect(csv.split('\n')[0]).toBe('type,state,result,progress');
    expect(csv).toContain('environment.backup,complete,success,100%');
    expect(csv).not.toMatch(/\n[^,]+,[^,]+,[^,]+,[^,]+,feature/);
    const all = JSON.parse((await pier('activity:list', '-p', cli.projectId, '--all', '--format', 'json', '--limit', '50')).stdout) as Record<string, string>[];
    expect(Object.keys(all[0] ?? {})).toEqual(['id', 'created', 'description', 'progress', 'state', 'result', 'environments']);
    // Access changes are project-level activities: no environment.
    expect(new Set(all.map((row) => row.environments))).toEqual(new Set(['main', 'feature', '']));
    const dates = all.map((row) => row.created ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    const tsv = (await pier('activity:list', '-p', cli.projectId, '--all', '--format', 'tsv', '--no-header', '-c', 'type', '--limit', '3')).stdout;
    expect(tsv.trim().split('\n')).toHaveLength(3);
  });

  it('filters by type (short or wildcard), state, result, --start; --limit pages through', async () => {
    const types = async (...args: string[]) => (await pier('activity:list', '-p', cli.projectId, '--all', '--format', 'plain', '--no-header', '-c', 'type', ...args)).stdout.trim().split('\n');
    expect(new Set(await types('--type', 'restore', '--limit', '50'))).toEqual(new Set(['environment.restore']));
    expect(new Set(await types('--type', 'environment.backup', '--type', 'environment.restore', '--limit', '50'))).toEqual(new Set(['environment.backup', 'environment.restore']));
    expect(new Set(await types('--type', 'env%.back*', '-x', 'environment.backup.delete', '--limit', '50'))).toEqual(new Set(['environment.backup']));
    const failures = (await pier('activity:list', '-p', cli.projectId, '--all', '--result', 'failure', '--format', 'csv', '--no-header', '-c', 'type,state,result')).stdout;
    expect(failures).toBe('environment.restore,complete,failure\n');
    const complete = await types('--state', 'complete', '--limit', '1000');
    const everything = await types('--limit', '1000');
    expect(complete.length).toBe(everything.length);
    expect(await pier('activity:list', '-p', cli.projectId, '--all', '--state', 'pending')).toMatchObject({ code: 1, stderr: 'No activities found\n' });
    expect(await pier('activity:list', '-p', cli.projectId, '--all', '--state', 'sleeping')).toMatchObject({ code: 1, stderr: expect.stringContaining('Invalid state: sleeping') });
    const ids = (await pier('activity:list', '-p', cli.projectId, '--all', '--format', 'plain', '--no-header', '-c', 'id,created', '--limit', '1000')).stdout.trim().split('\n').map((line) => line.split('\t'));
    const [, third] = ids.slice(2)[0] ?? [];
    const older = (await pier('activity:list', '-p', cli.projectId, '--all', '--format', 'plain', '--no-header', '-c', 'id', '--start', third ?? '', '--limit', '1000')).stdout.trim().split('\n');
    expect(older).toEqual(ids.slice(2).map(([id]) => id));
  });

  it('activity:get defaults to the most recent activity; -P prints one property', async () => {
    const newest = (await pier('activity:list', '-p', cli.projectId, '-e', 'feature', '--format', 'plain', '--no-header', '-c', 'id', '--limit', '1')).stdout.trim();
    expect((await pier('activity:get', '-p', cli.projectId, '-e', 'feature', '-P', 'id')).stdout).toBe(`${newest}\n`);
    const json = JSON.parse((await pier('activity:get', newest, '-p', cli.projectId, '--format', 'json')).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ id: newest, type: 'environment.restore', state: 'complete', result: 'failure', project: cli.projectId, environments: ['feature'], duration: expect.any(Number) });
    expect((await pier('activity:get', '-p', cli.projectId, '--all', '--type', 'backup', '-P', 'type')).stdout).toBe('environment.backup\n');
    expect(await pier('activity:get', '01234567-0000-7000-8000-000000000000', '-p', cli.projectId)).toMatchObject({ code: 1, stderr: expect.stringContaining('Activity not found: 01234567-0000-7000-8000-000000000000') });
  });

  it('activity:log prints a finished activity\'s lines on stdout and stops at the seal', async () => {
    const id = (await pier('activity:get', '-p', cli.projectId, '--all', '--type', 'environment.backup', '-P', 'id')).stdout.trim();
    const log = await pier('activity:log', id, '-p', cli.projectId);
    expect(log.code).toBe(0);
    expect(log.stderr).toMatch(new RegExp(`^Activity ID: ${id}\\nType: environment.backup\\nDescription: .+\\nCreated: .+\\nState: complete\\nLog:\\n$`));
    expect(log.stdout).toMatch(/^Safe backup: writes to the environment are paused\.\nArchiving \d+ file\(s\) of environment \S+\.\nBackup \S+ created: \d+ bytes, sha256 [0-9a-f]{64}\.\n$/);
    const formatted = await pier('activity:log', id, '-p', cli.projectId, '-t', '--date-fmt', 'Y-m-d');
    expect(formatted.stdout.split('\n')[0]).toMatch(/^\[\d{4}-\d\d-\d\d\] Safe backup/);
  });
});
