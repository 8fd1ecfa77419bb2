import type { Json, paths } from '@pier/api';
import { expectData } from '../api-client.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';

/** `deployment` is always null; the typed client's data types leave null-only fields out. */
export type Backup = Omit<Json<paths['/projects/{projectId}/environments/{environmentId}/backups/{backupId}']['get']['responses'][200]>, 'deployment'>;

/** backup:list columns: the Platform.sh CLI's, plus size and checksum. */
export const backupColumns = ['created_at', 'id', 'restorable', 'automated', 'commit_id', 'expires_at', 'index', 'live', 'status', 'updated_at', 'size_used', 'sha256'];
export const backupDefaultColumns = ['created_at', 'id', 'restorable'];
export const backupDateColumns = ['created_at', 'updated_at', 'expires_at'];

/** A backup's fields without links, plus `live` (the opposite of `safe`) as Platform.sh shows it. */
export function backupProperties(backup: Backup): Record<string, unknown> {
  const { _links: _ignored, ...fields } = backup;
  return { ...fields, live: !backup.safe };
}

/** Newest first. */
export async function listBackups(ctx: Context, projectId: string, environmentId: string): Promise<Backup[]> {
  const result = await ctx.api().GET('/projects/{projectId}/environments/{environmentId}/backups', { params: { path: { projectId, environmentId } } });
  return expectData(result, ctx.loginHelp());
}

export async function getBackup(ctx: Context, projectId: string, environmentId: string, backupId: string): Promise<Backup> {
  const result = await ctx.api().GET('/projects/{projectId}/environments/{environmentId}/backups/{backupId}', { params: { path: { projectId, environmentId, backupId } } });
  if (result.response.status === 404) throw new CliError('generic', `Backup not found: ${backupId}`);
  return expectData(result, ctx.loginHelp());
}
