import { expectData } from '../../lib/api-client.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';

export const definition: CommandDefinition = {
  name: 'project:list',
  aliases: ['projects', 'pro'],
  description: 'Get a list of all active projects',
  options: [
    { flags: '--pipe', description: 'Output a simple list of project IDs' },
    { flags: '--title <title>', description: 'Filter by title (case-insensitive search)' },
    { flags: '--sort <field>', description: 'A property to sort by', defaultValue: 'title' },
    { flags: '--reverse', description: 'Sort in reverse (descending) order' },
    // As in the Platform.sh CLI, -c is not --columns here (it is --count there).
    ...outputOptionDefinitions.map((option) => (option.flags.startsWith('-c, ') ? { ...option, flags: option.flags.slice(4) } : option)),
  ],
  examples: ['$ project:list', '$ project:list --pipe', '$ project:list --format csv --columns id,title,created_at'],
};

const columns = ['id', 'title', 'region', 'status', 'default_branch', 'owner', 'organization_id', 'created_at', 'updated_at'];

interface ListOptions {
  pipe?: boolean;
  title?: string;
  sort: string;
  reverse?: boolean;
}

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as unknown as ListOptions;
  const output = readOutputOptions(rawOptions);
  const projects = expectData(await ctx.api().GET('/projects'), ctx.loginHelp());
  const titleFilter = options.title?.toLowerCase();
  const rows = projects
    .filter((project) => !titleFilter || project.title.toLowerCase().includes(titleFilter))
    .map((project) => ({ ...project, status: project.status.code, organization_id: project.organization }) as Record<string, unknown>);
  const sortKey = options.sort;
  rows.sort((a, b) => String(a[sortKey] ?? '').localeCompare(String(b[sortKey] ?? '')) * (options.reverse ? -1 : 1));
  if (options.pipe) {
    ctx.io.data(rows.map((row) => `${String(row.id)}\n`).join(''));
    return;
  }
  if (rows.length === 0 && output.format === 'table') {
    ctx.io.message('You do not have any projects yet.');
    return;
  }
  await renderTable(ctx.io, { columns, defaultColumns: ['id', 'title', 'region'], rows, dateColumns: ['created_at', 'updated_at'] }, output);
}
