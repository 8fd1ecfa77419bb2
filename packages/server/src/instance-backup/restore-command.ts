import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import type { Config } from '../config.js';
import { loadInstanceSecrets } from '../secrets/instance-secrets.js';
import { migrationNames } from '../db/migrations/index.js';
import { describeDatabase } from '../operations/migrate-command.js';
import { postgresTableCount, restorePostgres } from './database-dump.js';
import { MANIFEST_NAME, NotABackup, parseManifest, POSTGRES_DUMP, secretCheck, type BackupManifest } from './manifest.js';
import { BackupRefused } from './backup-command.js';
import type { CommandOutput } from '../operations/command-output.js';

/**
 * `pier-server restore FILE`: an archive of `pier-server backup` into an empty data directory
 * (and, on PostgreSQL, an empty database). Everything that would make the result unusable is
 * checked before anything is written: the format, the schema version, the database kind, the
 * vendor, and that the instance secret in force is the one the archive's tokens were made with.
 * Run as root, files keep their numeric owners — environments' data stays their accounts'.
 */
export async function restoreCommand(config: Config, source: string, output: CommandOutput): Promise<number> {
  const file = path.resolve(source);
  if (!fs.existsSync(file)) throw new BackupRefused(`${file} does not exist.`);
  const manifest = await readManifest(file);
  await checkRestorable(config, manifest);

  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(config.dataDir, 0o700);
  const problems: string[] = [];
  await tar.x({
    file,
    cwd: config.dataDir,
    // Modes exactly as archived; owners too when root (node-tar's default for root).
    chmod: true,
    processUmask: 0,
    onwarn: (code, message) => {
      if (code !== 'TAR_ENTRY_INFO') problems.push(String(message));
    },
  });
  if (problems.length > 0) throw new Error(`The archive could not be restored completely:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  if (manifest.database.kind === 'postgres') {
    const dump = path.join(config.dataDir, POSTGRES_DUMP);
    await restorePostgres(config.databaseUrl!, dump);
    fs.rmSync(dump);
  }
  fs.rmSync(path.join(config.dataDir, MANIFEST_NAME));
  if (manifest.instance_secret.source === 'data-dir' && secretCheck(loadInstanceSecrets(config.dataDir, config.secretsKey)) !== manifest.instance_secret.check) {
    throw new Error('The restored instance secret does not match the backup: the archive is damaged.');
  }

  const pending = migrationNames.length - manifest.database.schema.length;
  output.stdout(
    [
      `Restored the backup of ${manifest.created_at} (Pier ${manifest.pier_version}) into ${config.dataDir} and ${describeDatabase(config)}.`,
      ...(process.getuid?.() === 0 ? [] : ['Not run as root: files belong to you now; environments\' data folders go back to their accounts when a root pier-server next runs their code.']),
      `Start pier-server${pending > 0 ? `: it applies the ${pending} migration(s) this version adds (or run npx pier-server migrate first)` : ''}.`,
      '',
    ].join('\n'),
  );
  return 0;
}

async function checkRestorable(config: Config, manifest: BackupManifest): Promise<void> {
  const kind = config.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.database.kind !== kind) {
    throw new BackupRefused(
      manifest.database.kind === 'sqlite'
        ? 'This backup holds a SQLite database: unset DATABASE_URL to restore it (moving between databases is not supported).'
        : 'This backup holds a PostgreSQL database: set DATABASE_URL to an empty PostgreSQL database to restore it into.',
    );
  }
  if (manifest.vendor !== config.vendor) throw new BackupRefused(`This backup was made with PIER_VENDOR=${manifest.vendor}; set the same to restore it.`);
  const known = new Set(migrationNames);
  const newer = manifest.database.schema.filter((name) => !known.has(name));
  if (newer.length > 0) throw new BackupRefused(`This backup was made by a newer Pier (${manifest.pier_version}; schema ${newer.join(', ')}): restore it with that version or a later one.`);

  if (config.secretsKey) {
    if (secretCheck(loadInstanceSecrets(config.dataDir, config.secretsKey)) !== manifest.instance_secret.check) {
      throw new BackupRefused(
        manifest.instance_secret.source === 'PIER_SECRETS_KEY'
          ? 'PIER_SECRETS_KEY is not the one this backup was made with: its API tokens and sensitive variables would not open. Set the original value.'
          : 'PIER_SECRETS_KEY is set, but this backup carries its own instance secret (in the data directory): unset PIER_SECRETS_KEY.',
      );
    }
  } else if (manifest.instance_secret.source === 'PIER_SECRETS_KEY') {
    throw new BackupRefused('This backup was made with PIER_SECRETS_KEY set, which the archive does not hold: set the same PIER_SECRETS_KEY to restore it.');
  }

  if (fs.existsSync(config.dataDir) && fs.readdirSync(config.dataDir).length > 0) {
    throw new BackupRefused(`${config.dataDir} (PIER_DATA_DIR) is not empty: restore into an empty or new folder.`);
  }
  if (config.databaseUrl && (await postgresTableCount(config.databaseUrl)) > 0) {
    throw new BackupRefused(`The database in DATABASE_URL is not empty: restore into a new, empty database (createdb).`);
  }
}

/** The manifest is the archive's first entry: read it without reading the rest. */
function readManifest(file: string): Promise<BackupManifest> {
  return new Promise((resolve, reject) => {
    const input = fs.createReadStream(file);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      input.destroy();
      outcome();
    };
    const parser = new tar.Parser({
      onReadEntry: (entry) => {
        if (entry.path !== MANIFEST_NAME) {
          entry.resume();
          return settle(() => reject(new NotABackup(`${file} is not a Pier backup: it does not start with ${MANIFEST_NAME}.`)));
        }
        let text = '';
        entry.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        entry.on('end', () => {
          let manifest: BackupManifest;
          try {
            manifest = parseManifest(text);
          } catch (error) {
            return settle(() => reject(error));
          }
          settle(() => resolve(manifest));
        });
      },
    });
    parser.on('error', () => settle(() => reject(new NotABackup(`${file} is not a Pier backup (not a tar.gz archive).`))));
    parser.on('warn', (code: string) => {
      if (code === 'TAR_BAD_ARCHIVE') settle(() => reject(new NotABackup(`${file} is not a Pier backup (not a tar.gz archive).`)));
    });
    parser.on('end', () => settle(() => reject(new NotABackup(`${file} is not a Pier backup: it holds no ${MANIFEST_NAME}.`))));
    input.on('error', (error) => settle(() => reject(error)));
    input.pipe(parser);
  });
}
