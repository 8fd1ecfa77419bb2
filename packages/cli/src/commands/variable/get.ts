import { defineCommand, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { renderVariable, variableProperties } from '../../lib/variables/display.js';
import { levelOption, parseLevel } from '../../lib/variables/fields.js';
import { requireVariable, resolveScope } from '../../lib/variables/lookup.js';
import { isHidden } from '../../lib/variables/variable-api.js';

export const { definition, run } = defineCommand({
  name: 'variable:get',
  aliases: ['vget'],
  description: 'View a variable',
  help: 'Without a name, lists the variables (variable:list).',
  arguments: [{ syntax: '[name]', description: 'The name of the variable' }],
  options: {
    property: text('-P, --property <property>', 'View a single variable property'),
    level: levelOption,
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ variable:get env:PIER_CLI_TOKEN -e main', '$ variable:get api_url -l project -P value'],
  async run(ctx, args, options) {
    const name = args[0];
    if (name === undefined) {
      const list = await import('./list.js');
      await list.run(ctx, [], options);
      return;
    }
    const output = readOutputOptions(options);
    const level = parseLevel(options.level);
    const scope = await resolveScope(new Selection(ctx, options), level);
    const variable = await requireVariable(ctx, scope, name, level);
    if (options.property === undefined) {
      await renderVariable(ctx, variable, output);
      return;
    }
    if (options.property === 'value' && isHidden(variable)) throw new CliError('generic', 'The variable is sensitive, so its value cannot be read.');
    printProperty(ctx.io, variableProperties(variable, 'plain'), options.property);
  },
});

