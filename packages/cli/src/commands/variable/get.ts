import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';
import { renderVariable, variableProperties } from '../../lib/variables/display.js';
import { levelOption, parseLevel } from '../../lib/variables/fields.js';
import { requireVariable, resolveScope } from '../../lib/variables/lookup.js';
import { isHidden } from '../../lib/variables/variable-api.js';

export const definition: CommandDefinition = {
  name: 'variable:get',
  aliases: ['vget'],
  description: 'View a variable',
  help: 'Without a name, lists the variables (variable:list).',
  arguments: [{ syntax: '[name]', description: 'The name of the variable' }],
  options: [
    { flags: '-P, --property <property>', description: 'View a single variable property' },
    levelOption,
    projectOption,
    environmentOption,
    ...outputOptionDefinitions,
  ],
  examples: ['$ variable:get env:PIER_CLI_TOKEN -e main', '$ variable:get api_url -l project -P value'],
};

interface GetOptions extends SelectionOptions {
  level?: string;
  property?: string;
}

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as GetOptions;
  const name = args[0];
  if (name === undefined) {
    const list = await import('./list.js');
    await list.run(ctx, [], rawOptions);
    return;
  }
  const output = readOutputOptions(rawOptions);
  const level = parseLevel(options.level);
  const scope = await resolveScope(new Selection(ctx, options), level);
  const variable = await requireVariable(ctx, scope, name, level);
  if (options.property === undefined) {
    await renderVariable(ctx, variable, output);
    return;
  }
  if (options.property === 'value' && isHidden(variable)) throw new CliError('generic', 'The variable is sensitive, so its value cannot be read.');
  printProperty(ctx.io, variableProperties(variable, 'plain'), options.property);
}
