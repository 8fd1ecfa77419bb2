import { expectData } from '../../lib/api-client.js';
import { defineCommand, flag, negatedFlag, text } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'environment:list',
  aliases: ['environments', 'env'],
  description: 'Get a list of environments',
  options: {
    inactive: negatedFlag('-I, --no-inactive', 'Do not show inactive environments'),
    type: text('--type <type>', 'Filter by type: production, staging or development (comma-separated for several)'),
    pipe: flag('--pipe', 'Output a simple list of environment IDs'),
    project: projectOption,
    ...outputOptions,
  },
  examples: ['$ environment:list', '$ environment:list -I --pipe', '$ environment:list --type development --format csv'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const projectId = await new Selection(ctx, options).projectId();
    const result = await ctx.api().GET('/projects/{projectId}/environments', { params: { path: { projectId } } });
    const types = options.type?.split(/[,\s]+/).filter(Boolean);
    const environments = expectData(result, ctx.loginHelp())
      .filter((environment) => options.inactive || environment.status !== 'inactive')
      .filter((environment) => !types || (types as string[]).includes(environment.type));
    if (options.pipe) {
      ctx.io.data(environments.map((environment) => `${environment.id}\n`).join(''));
      return;
    }
    const rows = environments.map((environment) => ({ ...environment, created: environment.created_at, updated: environment.updated_at }));
    await renderTable(ctx.io, { columns, defaultColumns: ['id', 'title', 'status', 'type'], rows, dateColumns: ['created', 'updated'] }, output);
  },
});

// Platform.sh names the date columns `created` and `updated` here.
const columns = ['id', 'machine_name', 'title', 'status', 'type', 'parent', 'created', 'updated'];

