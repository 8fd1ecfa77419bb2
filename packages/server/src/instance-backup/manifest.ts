import { createHmac } from 'node:crypto';
import type { InstanceSecrets } from '../secrets/instance-secrets.js';

/** The first entry of every archive: what it holds and what restoring it needs. */
export const MANIFEST_NAME = 'pier-backup.json';
export const SQLITE_SNAPSHOT = 'pier.sqlite';
export const POSTGRES_DUMP = 'pier.pgdump';

export interface BackupManifest {
  format: 'pier-instance-backup';
  format_version: 1;
  created_at: string;
  pier_version: string;
  vendor: string;
  database: { kind: 'sqlite' | 'postgres'; file: string; schema: string[] };
  /**
   * Where the master secret came from, and a check value derived from it (not reversible): the
   * restore refuses a PIER_SECRETS_KEY that would not open this installation's tokens and data.
   */
  instance_secret: { source: 'data-dir' | 'PIER_SECRETS_KEY'; check: string };
  /** The data directory it was taken from (for the record: the archive holds no absolute path into it). */
  data_dir: string;
}

export function secretCheck(secrets: InstanceSecrets): string {
  return createHmac('sha256', secrets.tokenHmacKey).update('pier instance backup key check v1').digest('hex').slice(0, 32);
}

export class NotABackup extends Error {
  override name = 'NotABackup';
}

export function parseManifest(text: string): BackupManifest {
  let value: Partial<BackupManifest>;
  try {
    value = JSON.parse(text) as Partial<BackupManifest>;
  } catch {
    throw new NotABackup(`${MANIFEST_NAME} is not JSON.`);
  }
  if (value.format !== 'pier-instance-backup') throw new NotABackup(`${MANIFEST_NAME} does not describe a Pier backup.`);
  if (value.format_version !== 1) throw new NotABackup(`This backup has format version ${String(value.format_version)}; this pier-server reads version 1. Restore it with the Pier version that made it (${String(value.pier_version)}) or newer.`);
  const { database, instance_secret: secret } = value;
  if (!database || !['sqlite', 'postgres'].includes(database.kind) || !Array.isArray(database.schema) || !secret || typeof secret.check !== 'string' || typeof value.data_dir !== 'string') {
    throw new NotABackup(`${MANIFEST_NAME} is incomplete.`);
  }
  return value as BackupManifest;
}
