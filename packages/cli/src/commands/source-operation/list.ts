import { defineCommand, flag } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { listSourceOperations } from '../../lib/source-operations/source-operation-api.js';

export const { definition, run } = defineCommand({
  name: 'source-operation:list',
  aliases: ['source-ops'],
  description: 'List source operations on an environment',
  options: {
    full: flag('--full', 'Do not limit the length of command to display. The default limit is 24 lines.'),
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ source-operation:list', '$ source-ops -e main --format csv'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
    const operations = await listSourceOperations(ctx, projectId, environmentId);
    if (operations.length === 0) {
      // As the Platform.sh CLI: nothing to list is not an error.
      ctx.io.message('No source operations found.');
      return;
    }
    const rows = operations.map((operation) => ({ ...operation, command: options.full ? operation.command : truncateLines(operation.command) }));
    await renderTable(ctx.io, { columns: ['operation', 'app', 'command'], defaultColumns: ['operation', 'app', 'command'], rows, headers: { operation: 'Operation', app: 'App', command: 'Command' } }, output);
  },
});

const MAX_LINES = 24;

function truncateLines(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), '...'].join('\n') : lines.join('\n');
}
