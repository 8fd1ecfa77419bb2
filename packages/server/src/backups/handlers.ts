import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { runCommand } from '@pier/runtime';
import type { WorkerServices } from '../services.js';
import type { Activity, Environment } from '../db/schema.js';
import type { DatabaseExecutor } from '../db/database.js';
import { ApiError } from '../http/errors.js';
import type { ActivityHandler } from '../activities/worker.js';
import { accountFolder } from '../runtime/environment-layout.js';
import { DATA_DIR } from '../runtime/environment-sandbox.js';

export const BACKUP_ACTIVITY = 'environment.backup';
export const RESTORE_ACTIVITY = 'environment.restore';

function payloadString(payload: Record<string, unknown>, key: string): string {
  const value = payload[key];
  if (typeof value !== 'string') throw new Error(`The activity payload has no ${key}.`);
  return value;
}

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await fs.promises.readdir(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) count++;
  return count;
}

/**
 * Archives the environment's data folder (tar.gz) with a manifest; safe backups pause writes. tar
 * runs in the environment's sandbox as its account: a symlink its code planted in the data folder
 * can only lead back into what that account may read anyway.
 */
export function backupHandler(services: WorkerServices): ActivityHandler {
  const { db } = services.database;
  return async ({ activity, payload, signal, log, progress }) => {
    const backupId = payloadString(payload, 'backup_name');
    const backup = await services.backups.find(activity.project_id, backupId);
    if (!backup) throw new Error(`Backup ${backupId} no longer exists.`);
    if (backup.status === 'CREATED') {
      await log('The backup was already complete.');
      return;
    }
    const environment = await services.environments.require(activity.project_id, activity.environment_id);
    const project = await services.projects.get(activity.project_id);
    const sandbox = await services.sandboxes.prepare(project, environment, log);
    const source = sandbox.layout.data;
    if (backup.safe) {
      await services.backups.pauseWrites(environment.project_id, environment.id, activity.id);
      await log('Safe backup: writes to the environment are paused.');
    }
    try {
      const files = await countFiles(source);
      await log(`Archiving ${files} file(s) of environment ${environment.id}.`);
      await progress(10);
      const manifest = await buildManifest(services, environment, files);
      const storageKey = `${activity.project_id}/${environment.machine_name}/${backup.id}.tar.gz`;
      const archive = new PassThrough();
      const [written, archived] = await Promise.all([
        services.backupStorage.write(storageKey, archive, signal),
        runCommand({
          launch: services.sandboxes.launch(sandbox, {
            binds: [{ source, target: DATA_DIR, writable: false }],
            env: {},
            cwd: DATA_DIR,
            command: ['/usr/bin/tar', '--create', '--gzip', '--file=-', '--owner=0', '--group=0', '--numeric-owner', '.'],
          }),
          onLine: log,
          output: archive,
          signal,
        }),
      ]);
      if (archived.exitCode !== 0) {
        await services.backupStorage.remove(storageKey);
        throw new Error(`Archiving the data folder failed (tar exited with status ${archived.exitCode}).`);
      }
      await progress(90);
      await services.backupStorage.write(`${storageKey}.manifest.json`, Readable.from([JSON.stringify({ ...manifest, archive_sha256: written.sha256 }, null, 2)]), signal);
      await services.backups.markCreated(backup.id, { storageKey, sha256: written.sha256, size: written.size, commitId: environment.head_commit, manifest });
      await log(`Backup ${backup.id} created: ${written.size} bytes, sha256 ${written.sha256}.`);
      for (const old of await services.backups.beyondRetention(activity.project_id, environment.id, services.config.backupRetention)) {
        // The manifest holds the environment's variable rows: it goes with its archive.
        if (old.storage_key) await services.backupStorage.remove(`${old.storage_key}.manifest.json`);
        if (old.storage_key) await services.backupStorage.remove(old.storage_key);
        await services.backups.delete(db, old.id);
        await log(`Removed backup ${old.id} (keeping the newest ${services.config.backupRetention}).`);
      }
      return { payload: { ...payload, backup_name: backup.id, size: written.size } };
    } catch (error) {
      if (!signal.aborted || (signal.reason as Error)?.message !== 'lease lost') await services.backups.markFailed(backup.id);
      throw error;
    } finally {
      if (backup.safe) await services.backups.resumeWrites(environment.project_id, activity.id);
    }
  };
}

/**
 * A backup whose workers died too often is failed by the queue; this runs in the same
 * transaction, so its environment does not stay paused for writes (SSH would refuse it for ever)
 * and the backup does not stay PENDING.
 */
export async function abandonedBackupCleanup(services: WorkerServices, executor: DatabaseExecutor, activity: Activity): Promise<void> {
  await services.backups.resumeWrites(activity.project_id, activity.id, executor);
  const backupId = (JSON.parse(activity.payload) as Record<string, unknown>).backup_name;
  if (typeof backupId === 'string') await services.backups.markFailed(backupId, executor);
}

async function buildManifest(services: WorkerServices, environment: Environment, files: number) {
  // Raw rows: sensitive values stay sealed, exactly as stored.
  const variables = await services.variables.list(environment.project_id, environment.id);
  return {
    format: 'pier-backup-v1',
    project: environment.project_id,
    environment: environment.id,
    machine_name: environment.machine_name,
    type: environment.type,
    parent: environment.parent,
    commit: environment.head_commit,
    files,
    variables,
    created_at: new Date().toISOString(),
  };
}

/**
 * Restores a backup's files into an environment (the same or another), checksum first. The archive
 * is unpacked in the target's sandbox, as its account, into a staging folder that then replaces
 * the data folder.
 */
export function restoreHandler(services: WorkerServices): ActivityHandler {
  return async ({ activity, payload, signal, log, progress }) => {
    const backup = await services.backups.find(activity.project_id, payloadString(payload, 'backup_name'));
    if (!backup?.storage_key || backup.restorable !== 1 || !backup.sha256) throw new ApiError('invalid_request', 'The backup is not restorable.');
    const target = await services.environments.require(activity.project_id, payloadString(payload, 'environment'));
    const project = await services.projects.get(activity.project_id);
    const sandbox = await services.sandboxes.prepare(project, target, log);
    await log(`Verifying backup ${backup.id}.`);
    const hash = createHash('sha256');
    await pipeline(services.backupStorage.read(backup.storage_key), hash, { signal });
    if (hash.digest('hex') !== backup.sha256) throw new Error('The backup archive does not match its checksum.');
    await progress(30);
    const dataDir = sandbox.layout.data;
    const staging = `${dataDir}.restore-${activity.id}`;
    const previous = `${dataDir}.previous-${activity.id}`;
    await fs.promises.rm(staging, { recursive: true, force: true });
    accountFolder(staging, sandbox.account);
    await log(`Restoring files into environment ${target.id}.`);
    const unpacked = await runCommand({
      launch: services.sandboxes.launch(sandbox, {
        binds: [{ source: staging, target: DATA_DIR, writable: true }],
        env: {},
        cwd: DATA_DIR,
        command: ['/usr/bin/tar', '--extract', '--gzip', '--file=-', '--no-same-owner', '--delay-directory-restore'],
      }),
      input: services.backupStorage.read(backup.storage_key),
      onLine: log,
      signal,
    });
    if (unpacked.exitCode !== 0) {
      await fs.promises.rm(staging, { recursive: true, force: true });
      throw new Error(`Unpacking the backup failed (tar exited with status ${unpacked.exitCode}).`);
    }
    await progress(80);
    // Swap folders: a crash leaves either the old or the new tree in place, never a mix.
    await fs.promises.rm(previous, { recursive: true, force: true });
    await fs.promises.rename(dataDir, previous);
    await fs.promises.rename(staging, dataDir);
    await fs.promises.rm(previous, { recursive: true, force: true });
    await log(`Restored backup ${backup.id} into ${target.id}.`);
    return { payload: { ...payload, backup_name: backup.id, environment: target.id } };
  };
}
