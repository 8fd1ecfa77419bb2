import { defineCommand, text } from '../../lib/command.js';
import { backupDateColumns, backupProperties, getBackup } from '../../lib/backups/backup-api.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'backup:get',
  description: 'View an environment backup',
  arguments: [{ syntax: '<backup>', description: 'The ID of the backup' }],
  options: {
    property: text('-P, --property <property>', 'The backup property to view: id, status, restorable, live, size_used, sha256, commit_id, created_at…'),
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ backup:get 019a0c5e-...', '$ backup:get 019a0c5e-... -P status'],
  async run(ctx, args, options) {
    const output = readOutputOptions(options);
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
    const properties = backupProperties(await getBackup(ctx, projectId, environmentId, args[0] ?? ''));
    const property = options.property;
    if (property) printProperty(ctx.io, properties, property);
    else await renderProperties(ctx.io, properties, output, backupDateColumns);
  },
});

