import { defineCommand } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { resourceProperties } from '../../lib/output/resource-properties.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'environment:info',
  description: 'Read environment properties',
  arguments: [{ syntax: '[property]', description: 'The name of the property' }],
  options: {
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ environment:info', '$ environment:info status -e staging', '$ environment:info --format json'],
  async run(ctx, args, options) {
    const output = readOutputOptions(options);
    const environment = await new Selection(ctx, options).environment();
    const properties = resourceProperties(environment);
    const property = args[0];
    if (property) printProperty(ctx.io, properties, property);
    else await renderProperties(ctx.io, properties, output, ['created_at', 'updated_at', 'last_active_at', 'last_backup_at']);
  },
});

