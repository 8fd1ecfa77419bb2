import { expectData } from '../../lib/api-client.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'environment:list',
  aliases: ['environments', 'env'],
  description: 'Get a list of environments',
  options: [
    { flags: '-I, --no-inactive', description: 'Do not show inactive environments' },
    { flags: '--type <type>', description: 'Filter by type: production, staging or development (comma-separated for several)' },
    { flags: '--pipe', description: 'Output a simple list of environment IDs' },
    projectOption,
    ...outputOptionDefinitions,
  ],
  examples: ['$ environment:list', '$ environment:list -I --pipe', '$ environment:list --type development --format csv'],
};

// Platform.sh names the date columns `created` and `updated` here.
const columns = ['id', 'machine_name', 'title', 'status', 'type', 'parent', 'created', 'updated'];

interface ListOptions extends SelectionOptions {
  inactive: boolean;
  type?: string;
  pipe?: boolean;
}

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as unknown as ListOptions;
  const output = readOutputOptions(rawOptions);
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
}
