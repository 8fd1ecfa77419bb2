import { defineCommand } from '../../lib/command.js';
import { listCrons } from '../../lib/crons/cron-api.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'cron:list',
  aliases: ['crons'],
  description: 'List the crons of an environment',
  help: 'The crons of the deployed code (applications.<app>.crons in the app config), with their next run in UTC (none on an inactive environment) and their timeout in seconds.',
  options: {
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ cron:list', '$ crons -e main --format csv -c name,next_run'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const selection = new Selection(ctx, options);
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
  },
});

const columns = ['name', 'app', 'spec', 'command', 'next_run', 'timeout'];

