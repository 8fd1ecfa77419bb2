import { startedActivity, type LongOperation } from '../../lib/activities/activity.js';
import { shouldWait, waitOptions, waitOrReport } from '../../lib/activities/wait-options.js';
import { expectData } from '../../lib/api-client.js';
import { defineCommand, list } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { listSourceOperations, parseSourceOperationVariables } from '../../lib/source-operations/source-operation-api.js';

export const { definition, run } = defineCommand({
  name: 'source-operation:run',
  description: 'Run a source operation',
  help: [
    'Runs a command defined in the branch\'s app config (applications.<app>.source.operations.<name>.command)',
    'on a copy of the branch, commits what it changed as you, and pushes the commit. Waits with the',
    'activity log unless --no-wait.',
  ].join('\n'),
  arguments: [{ syntax: '[operation]', description: 'The operation name' }],
  options: {
    variable: list('--variable <variable>', 'A variable to set during the operation, in the format type:name=value (repeatable)'),
    project: projectOption,
    environment: environmentOption,
    ...waitOptions,
  },
  examples: ['$ source-operation:run update --variable env:FOO=bar --variable env:BAZ=beep', '$ source-operation:run update --yes --no-wait'],
  async run(ctx, args, options) {
    const variables = parseSourceOperationVariables(options.variable ?? []);
    if (!variables) throw new CliError('usage', 'Variables must be defined as type:name=value.');
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
    const operations = await listSourceOperations(ctx, projectId, environmentId);
    if (operations.length === 0) throw new CliError('generic', 'No source operations were found on the environment.');
    const name = args[0];
    if (!name) {
      throw new CliError(
        'usage',
        `The operation argument is required in non-interactive mode.\nAvailable operations: ${operations.map((operation) => operation.operation).join(', ')}`,
      );
    }
    if (!operations.some((operation) => operation.operation === name)) {
      throw new CliError('generic', `The source operation ${name} was not found on the environment ${environmentId}.`);
    }
    const wait = shouldWait(ctx, options);
    ctx.io.message(`Running source operation ${name}`);
    const operation: LongOperation = expectData(
      await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/source-operation', {
        params: { path: { projectId, environmentId } },
        body: { operation: name, variables },
      }),
      ctx.loginHelp(),
    );
    const activity = startedActivity(operation, 'environment.source-operation');
    await waitOrReport(ctx, activity, wait);
    if (wait) ctx.io.message('You may wish to run git pull to update your local repository.');
  },
});

