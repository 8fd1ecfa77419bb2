import { startedActivity, type LongOperation } from '../../lib/activities/activity.js';
import { shouldWait, waitOptions, waitOrReport } from '../../lib/activities/wait-options.js';
import { expectData } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'environment:redeploy',
  aliases: ['redeploy'],
  description: 'Redeploy an environment',
  help: 'Builds and deploys the environment\'s current commit again (an environment.redeploy activity), for example after changing variables. Waits with the log unless --no-wait.',
  options: {
    project: projectOption,
    environment: environmentOption,
    ...waitOptions,
  },
  examples: ['$ environment:redeploy', '$ redeploy -e main --yes --no-wait'],
  async run(ctx, _args, options) {
    const selection = new Selection(ctx, options);
    const [projectId, environment] = await Promise.all([selection.projectId(), selection.environment()]);
    if (environment.status !== 'active') {
      throw new CliError('generic', `Operation not available: The environment ${environment.id} can't be redeployed.\nThe environment is not active.`);
    }
    const wait = shouldWait(ctx, options);
    if (!(await confirm(ctx.io, `Are you sure you want to redeploy the environment ${environment.id}?`, true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    const operation: LongOperation = expectData(
      await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/redeploy', { params: { path: { projectId, environmentId: environment.id } } }),
      ctx.loginHelp(),
    );
    await waitOrReport(ctx, startedActivity(operation, 'environment.redeploy'), wait);
  },
});

