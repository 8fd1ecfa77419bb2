import { expectData } from '../../lib/api-client.js';
import { defineCommand, flag, text } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';

export const { definition, run } = defineCommand({
  name: 'project:list',
  aliases: ['projects', 'pro'],
  description: 'Get a list of all active projects',
  options: {
    pipe: flag('--pipe', 'Output a simple list of project IDs'),
    title: text('--title <title>', 'Filter by title (case-insensitive search)'),
    sort: text('--sort <field>', 'A property to sort by', { defaultValue: 'title' }),
    reverse: flag('--reverse', 'Sort in reverse (descending) order'),
    ...outputOptions,
    // As in the Platform.sh CLI, -c is not --columns here (it is --count there).
    columns: text('--columns <columns>', outputOptions.columns.description),
  },
  examples: ['$ project:list', '$ project:list --pipe', '$ project:list --format csv --columns id,title,created_at'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
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
  },
});

const columns = ['id', 'title', 'region', 'status', 'default_branch', 'owner', 'organization_id', 'created_at', 'updated_at'];

