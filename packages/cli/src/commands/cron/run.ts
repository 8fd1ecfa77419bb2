import { startedActivity, type LongOperation } from '../../lib/activities/activity.js';
import { shouldWait, waitOptions, waitOrReport } from '../../lib/activities/wait-options.js';
import { expectData } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { listCrons } from '../../lib/crons/cron-api.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'cron:run',
  description: 'Run a cron now',
  help: [
    'Runs a cron of the deployed code at once, as its schedule would (an environment.cron activity',
    'whose log is the cron\'s output), to test it. Waits with the log and exits with the cron\'s',
    'result unless --no-wait, which prints the activity ID.',
  ].join('\n'),
  arguments: [{ syntax: '[cron]', description: 'The cron name' }],
  options: {
    project: projectOption,
    environment: environmentOption,
    ...waitOptions,
  },
  examples: ['$ cron:run update', '$ cron:run update -e main --yes --no-wait'],
  async run(ctx, args, options) {
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
    const crons = await listCrons(ctx, projectId, environmentId);
    if (crons.length === 0) throw new CliError('generic', `No crons were found on the environment ${environmentId}.`);
    const name = args[0];
    if (!name) throw new CliError('usage', `The cron argument is required.\nAvailable crons: ${crons.map((cron) => cron.name).join(', ')}`);
    if (!crons.some((cron) => cron.name === name)) throw new CliError('generic', `The cron ${name} was not found on the environment ${environmentId}.`);
    const wait = shouldWait(ctx, options);
    if (!(await confirm(ctx.io, `Are you sure you want to run the cron ${name} on the environment ${environmentId}?`, true, ctx.globals.yes))) {
      throw new CliError('generic', 'Cancelled.');
    }
    ctx.io.message(`Running cron ${name}`);
    const operation: LongOperation = expectData(
      await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/crons/{cronName}/run', {
        params: { path: { projectId, environmentId, cronName: name } },
      }),
      ctx.loginHelp(),
    );
    await waitOrReport(ctx, startedActivity(operation, 'environment.cron'), wait);
  },
});

