import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import type { Config } from '../config.js';
import { loadInstanceSecrets } from '../secrets/instance-secrets.js';
import { pierVersion } from '../version.js';
import { describeDatabase } from '../operations/migrate-command.js';
import type { CommandOutput } from '../operations/command-output.js';
import { dumpPostgres, postgresSchema, snapshotSqlite, sqliteSchema } from './database-dump.js';
import { dataFilesToArchive } from './data-files.js';
import { MANIFEST_NAME, POSTGRES_DUMP, secretCheck, SQLITE_SNAPSHOT, type BackupManifest } from './manifest.js';

/** A backup or restore that would not work: the message says why and what to do. */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

/**
 * `pier-server backup FILE`: one tar.gz holding everything an installation is — the database
 * (a consistent snapshot, taken first), the instance secret, the SSH CA key, the git
 * repositories, environments' builds and data with their numeric owners, and environment
 * backups — taken while the server runs. Written under a temporary name, fsynced, then renamed,
 * readable by its owner only: it holds every secret of the installation.
 */
export async function backupCommand(config: Config, target: string, output: CommandOutput): Promise<number> {
  const file = path.resolve(target);
  const sqlite = !config.databaseUrl;
  if (fs.existsSync(file)) throw new BackupRefused(`${file} exists already: choose another name or remove it.`);
  if (!path.relative(config.dataDir, file).startsWith('..')) throw new BackupRefused(`Write the backup outside the data directory (${config.dataDir}).`);
  if (!fs.existsSync(sqlite ? path.join(config.dataDir, 'pier.sqlite') : config.dataDir)) throw new BackupRefused(`There is no Pier installation in ${config.dataDir} (PIER_DATA_DIR).`);
  if (!config.secretsKey && !fs.existsSync(path.join(config.dataDir, 'instance-secret'))) throw new BackupRefused(`${config.dataDir} holds no instance secret and PIER_SECRETS_KEY is not set: is PIER_DATA_DIR right?`);

  const staging = fs.mkdtempSync(path.join(path.dirname(file), '.pier-backup-'));
  const partial = `${file}.partial`;
  try {
    const databaseFile = path.join(staging, sqlite ? SQLITE_SNAPSHOT : POSTGRES_DUMP);
    let schema: string[];
    if (sqlite) {
      await snapshotSqlite(config.dataDir, databaseFile);
      schema = sqliteSchema(databaseFile);
    } else {
      schema = await postgresSchema(config.databaseUrl!);
      await dumpPostgres(config.databaseUrl!, databaseFile);
    }
    const manifest: BackupManifest = {
      format: 'pier-instance-backup',
      format_version: 1,
      created_at: new Date().toISOString(),
      pier_version: pierVersion(),
      vendor: config.vendor,
      database: { kind: sqlite ? 'sqlite' : 'postgres', file: path.basename(databaseFile), schema },
      instance_secret: { source: config.secretsKey ? 'PIER_SECRETS_KEY' : 'data-dir', check: secretCheck(loadInstanceSecrets(config.dataDir, config.secretsKey)) },
      data_dir: config.dataDir,
    };
    fs.writeFileSync(path.join(staging, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
    // Restored as archived: the database holds password and token hashes, owner-only like the original.
    fs.chmodSync(databaseFile, 0o600);

    const files = dataFilesToArchive(config, [staging]);
    const skipped = await writeArchive(partial, config.dataDir, [path.join(staging, MANIFEST_NAME), databaseFile, ...files], staging);
    if (skipped.length > 0) output.stderr(`Left out what changed while it was read:\n${skipped.map((s) => `  ${s}`).join('\n')}\n`);
    fs.renameSync(partial, file);
    const size = fs.statSync(file).size;
    output.stdout(
      [
        `Backed up ${describeDatabase(config)} (schema ${schema.at(-1) ?? 'empty'}) and ${files.length} files and folders of ${config.dataDir}`,
        `to ${file} (${(size / 1_048_576).toFixed(1)} MiB).`,
        `It holds the installation's secrets (instance secret, SSH CA key, API token hashes): store it as safely as the server.`,
        ...(config.secretsKey ? ['PIER_SECRETS_KEY is not in the archive: keep it; restoring needs the same value.'] : []),
        `Restore with: npx pier-server restore ${file} (into an empty PIER_DATA_DIR${sqlite ? '' : ' and an empty database'}).`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
}

/**
 * Entries under `staging` go in at the archive's root; data files keep their paths, owners and
 * modes. Answers what was left out.
 */
async function writeArchive(file: string, dataDir: string, entries: string[], staging: string): Promise<string[]> {
  // Environments' code keeps running: a file it removes between the listing and the read is left out.
  const skipped: string[] = [];
  const stream = fs.createWriteStream(file, { mode: 0o600 });
  const archive = tar.c(
    {
      gzip: true,
      cwd: dataDir,
      portable: false,
      noDirRecurse: true,
      onWriteEntry: (entry) => {
        if (entry.absolute.startsWith(`${staging}${path.sep}`)) entry.path = path.basename(entry.absolute);
        // Links into the data directory by absolute path (deployments made before links were
        // relative) go in relative, so the restored directory may live anywhere.
        if (entry.type === 'SymbolicLink' && entry.linkpath && path.isAbsolute(entry.linkpath) && entry.linkpath.startsWith(`${dataDir}${path.sep}`)) {
          entry.linkpath = path.relative(path.dirname(entry.absolute), entry.linkpath);
        }
      },
      onwarn: (code, message) => {
        // "stripping / from absolute path" is about the staged entries, renamed above.
        if (code !== 'TAR_ENTRY_INFO') skipped.push(String(message));
      },
    },
    entries,
  );
  await new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    stream.on('error', reject);
    stream.on('close', resolve);
    archive.pipe(stream);
  });
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return skipped;
}
