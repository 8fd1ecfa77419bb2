import { defineCommand } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { resourceProperties } from '../../lib/output/resource-properties.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'project:info',
  description: 'Read project properties',
  arguments: [{ syntax: '[property]', description: 'The name of the property' }],
  options: {
    project: projectOption,
    ...outputOptions,
  },
  examples: ['$ project:info', '$ project:info title', '$ project:info --format json'],
  async run(ctx, args, options) {
    const output = readOutputOptions(options);
    const project = await new Selection(ctx, options).project();
    const properties = resourceProperties(project);
    const property = args[0];
    if (property) printProperty(ctx.io, properties, property);
    else await renderProperties(ctx.io, properties, output, ['created_at', 'updated_at']);
  },
});

