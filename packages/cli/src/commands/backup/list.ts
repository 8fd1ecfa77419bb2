import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { backupColumns, backupDateColumns, backupDefaultColumns, backupProperties, listBackups } from '../../lib/backups/backup-api.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'backup:list',
  aliases: ['backups'],
  description: 'List available backups of an environment',
  options: {
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ backup:list', '$ backup:list -e main --format csv -c +status,size_used'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
    const backups = await listBackups(ctx, projectId, environmentId);
    if (backups.length === 0) throw new CliError('generic', 'No backups found');
    await renderTable(ctx.io, { columns: backupColumns, defaultColumns: backupDefaultColumns, rows: backups.map(backupProperties), dateColumns: backupDateColumns }, output);
  },
});

