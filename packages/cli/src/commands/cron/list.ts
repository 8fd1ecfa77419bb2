import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { listCrons } from '../../lib/crons/cron-api.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'cron:list',
  aliases: ['crons'],
  description: 'List the crons of an environment',
  help: 'The crons of the deployed code (applications.<app>.crons in the app config), with their next run in UTC (none on an inactive environment) and their timeout in seconds.',
  options: [projectOption, environmentOption, ...outputOptionDefinitions],
  examples: ['$ cron:list', '$ crons -e main --format csv -c name,next_run'],
};

const columns = ['name', 'app', 'spec', 'command', 'next_run', 'timeout'];

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const output = readOutputOptions(rawOptions);
  const selection = new Selection(ctx, rawOptions as SelectionOptions);
  const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
  const crons = await listCrons(ctx, projectId, environmentId);
  if (crons.length === 0) {
    // As source-operation:list: nothing to list is not an error.
    ctx.io.message('No crons found.');
    return;
  }
  await renderTable(
    ctx.io,
    {
      columns,
      defaultColumns: columns,
      rows: crons,
      dateColumns: ['next_run'],
      headers: { name: 'Name', app: 'App', spec: 'Spec', command: 'Command', next_run: 'Next run', timeout: 'Timeout' },
    },
    output,
  );
}
