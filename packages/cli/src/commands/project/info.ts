import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { resourceProperties } from '../../lib/output/resource-properties.js';
import { projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'project:info',
  description: 'Read project properties',
  arguments: [{ syntax: '[property]', description: 'The name of the property' }],
  options: [projectOption, ...outputOptionDefinitions],
  examples: ['$ project:info', '$ project:info title', '$ project:info --format json'],
};

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const output = readOutputOptions(rawOptions);
  const project = await new Selection(ctx, rawOptions as SelectionOptions).project();
  const properties = resourceProperties(project);
  const property = args[0];
  if (property) printProperty(ctx.io, properties, property);
  else await renderProperties(ctx.io, properties, output, ['created_at', 'updated_at']);
}
