import { defineCommand } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { outputOptions, readOutputOptions, type OutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { HIDDEN_VALUE } from '../../lib/variables/display.js';
import { levelOption, parseLevel } from '../../lib/variables/fields.js';
import { environmentTarget, projectTarget, resolveScope } from '../../lib/variables/lookup.js';
import { isEnvironmentVariable, isHidden, levelOf, listVariables, type Variable } from '../../lib/variables/variable-api.js';

export const { definition, run } = defineCommand({
  name: 'variable:list',
  aliases: ['variables', 'var'],
  description: 'List variables',
  help: 'Project variables, then those of the environment (own and inherited) when one is selected or detected; -l limits to one level.',
  options: {
    level: levelOption,
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ variable:list -e main', '$ variable:list -l project --format csv', '$ variable:list -c +is_sensitive,inherited'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const level = parseLevel(options.level);
    const selection = new Selection(ctx, options);
    const scope = await resolveScope(selection, level);
    const atEnvironment = level === 'project' ? undefined : environmentTarget(scope);
    const [projectVariables, environmentVariables] = await Promise.all([
      level === 'environment' ? [] : listProjectVariables(ctx, projectTarget(scope), level === undefined && atEnvironment !== undefined),
      atEnvironment ? listVariables(ctx, atEnvironment) : [],
    ]);
    const variables = [...projectVariables, ...environmentVariables];
    if (variables.length === 0) throw new CliError('generic', 'No variables found.');
    if (output.format === 'table') {
      const project = await selection.project();
      const where = scope.environment && level !== 'project' ? `, environment ${scope.environment.id}` : '';
      ctx.io.message(`Variables on the project ${project.title} (${project.id})${where}:`);
    }
    await renderTable(
      ctx.io,
      {
        columns,
        defaultColumns: ['name', 'level', 'value', 'is_enabled'],
        rows: variables.map((variable) => variableRow(variable, output.format)),
        dateColumns: ['created_at', 'updated_at'],
        headers: { name: 'Name', level: 'Level', value: 'Value', is_enabled: 'Enabled' },
      },
      output,
    );
  },
});

const columns = [
  'name',
  'level',
  'value',
  'is_enabled',
  'is_json',
  'is_sensitive',
  'is_inheritable',
  'inherited',
  'visible_build',
  'visible_runtime',
  'application_scope',
  'created_at',
  'updated_at',
];

/**
 * Project variables reach production, so reading them needs the viewer role there. Listing both
 * levels, a caller without it still gets the environment's own: the project level is left out.
 */
async function listProjectVariables(ctx: Context, target: Parameters<typeof listVariables>[1], optional: boolean): Promise<Variable[]> {
  try {
    return await listVariables(ctx, target);
  } catch (error) {
    if (optional && error instanceof CliError && error.code === 'permission_denied') {
      ctx.io.message('Project variables are left out: reading them needs the viewer role on production environments.');
      return [];
    }
    throw error;
  }
}

/** A sensitive value: the marker in a table, empty in csv/tsv/plain, null in JSON. */
function variableRow(variable: Variable, format: OutputOptions['format']): Record<string, unknown> {
  const environmentFields = isEnvironmentVariable(variable)
    ? { is_enabled: variable.is_enabled, is_inheritable: variable.is_inheritable, inherited: variable.inherited }
    : { is_enabled: null, is_inheritable: null, inherited: null };
  return {
    ...variable,
    ...environmentFields,
    level: levelOf(variable),
    value: isHidden(variable) ? (format === 'table' ? HIDDEN_VALUE : null) : variable.value,
    application_scope: variable.application_scope.join(', '),
  };
}
