import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { backupColumns, backupDateColumns, backupDefaultColumns, backupProperties, listBackups } from '../../lib/backups/backup-api.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'backup:list',
  aliases: ['backups'],
  description: 'List available backups of an environment',
  options: [projectOption, environmentOption, ...outputOptionDefinitions],
  examples: ['$ backup:list', '$ backup:list -e main --format csv -c +status,size_used'],
};

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const output = readOutputOptions(rawOptions);
  const selection = new Selection(ctx, rawOptions as SelectionOptions);
  const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
  const backups = await listBackups(ctx, projectId, environmentId);
  if (backups.length === 0) throw new CliError('generic', 'No backups found');
  await renderTable(ctx.io, { columns: backupColumns, defaultColumns: backupDefaultColumns, rows: backups.map(backupProperties), dateColumns: backupDateColumns }, output);
}
