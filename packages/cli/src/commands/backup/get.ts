import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { backupDateColumns, backupProperties, getBackup } from '../../lib/backups/backup-api.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'backup:get',
  description: 'View an environment backup',
  arguments: [{ syntax: '<backup>', description: 'The ID of the backup' }],
  options: [
    { flags: '-P, --property <property>', description: 'The backup property to view: id, status, restorable, live, size_used, sha256, commit_id, created_at…' },
    projectOption,
    environmentOption,
    ...outputOptionDefinitions,
  ],
  examples: ['$ backup:get 019a0c5e-...', '$ backup:get 019a0c5e-... -P status'],
};

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const output = readOutputOptions(rawOptions);
  const selection = new Selection(ctx, rawOptions as SelectionOptions);
  const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
  const properties = backupProperties(await getBackup(ctx, projectId, environmentId, args[0] ?? ''));
  const property = (rawOptions as { property?: string }).property;
  if (property) printProperty(ctx.io, properties, property);
  else await renderProperties(ctx.io, properties, output, backupDateColumns);
}
