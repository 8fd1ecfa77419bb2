import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { redeployNotice } from '../../lib/variables/display.js';
import { levelOption, parseLevel, acceptedWaitOptions } from '../../lib/variables/fields.js';
import { requireVariable, resolveScope, targetOf } from '../../lib/variables/lookup.js';
import { deleteVariable, isEnvironmentVariable } from '../../lib/variables/variable-api.js';

export const { definition, run } = defineCommand({
  name: 'variable:delete',
  description: 'Delete a variable',
  help: 'The confirmation defaults to no, as in the Platform.sh CLI: use --yes in scripts.',
  arguments: [{ syntax: '<name>', description: 'The variable name' }],
  options: {
    level: levelOption,
    project: projectOption,
    environment: environmentOption,
    ...acceptedWaitOptions,
  },
  examples: ['$ variable:delete env:PIER_CLI_TOKEN -e main --yes', '$ variable:delete api_url -l project --yes'],
  async run(ctx, args, options) {
    const name = args[0] ?? '';
    const level = parseLevel(options.level);
    const selection = new Selection(ctx, options);
    const scope = await resolveScope(selection, level);
    const variable = await requireVariable(ctx, scope, name, level);
    if (isEnvironmentVariable(variable) && variable.inherited) {
      throw new CliError(
        'generic',
        `The variable ${name} is inherited, so it cannot be deleted from this environment.\nYou could override it with the variable:create command, or switch it off here with: ${ctx.profile.command} variable:update ${name} --enabled false`,
      );
    }
    const where = isEnvironmentVariable(variable) ? `the environment ${variable.environment}` : `the project ${await projectLabel(selection)}`;
    if (!(await confirm(ctx.io, `Delete the variable ${name} from ${where}?`, false, ctx.globals.yes))) {
      throw new CliError('generic', ctx.io.interactive ? 'Cancelled.' : 'The variable was not deleted: the confirmation defaults to no. Use --yes to delete it without a question.');
    }
    await deleteVariable(ctx, targetOf(scope, variable), name);
    ctx.io.message(`Deleted variable ${name}`);
    redeployNotice(ctx);
  },
});

async function projectLabel(selection: Selection): Promise<string> {
  const project = await selection.project();
  return `${project.title} (${project.id})`;
}
