import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';
import { listSourceOperations } from '../../lib/source-operations/source-operation-api.js';

export const definition: CommandDefinition = {
  name: 'source-operation:list',
  aliases: ['source-ops'],
  description: 'List source operations on an environment',
  options: [
    { flags: '--full', description: 'Do not limit the length of command to display. The default limit is 24 lines.' },
    projectOption,
    environmentOption,
    ...outputOptionDefinitions,
  ],
  examples: ['$ source-operation:list', '$ source-ops -e main --format csv'],
};

const MAX_LINES = 24;

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as SelectionOptions & { full?: boolean };
  const output = readOutputOptions(rawOptions);
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
}

function truncateLines(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), '...'].join('\n') : lines.join('\n');
}
