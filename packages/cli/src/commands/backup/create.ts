import { startedActivity, type LongOperation } from '../../lib/activities/activity.js';
import { shouldWait, waitOptions, waitOrReport } from '../../lib/activities/wait-options.js';
import { expectData } from '../../lib/api-client.js';
import { defineCommand, flag } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { followLink, linkOf } from '../../lib/hal-link.js';
import { confirm } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'backup:create',
  aliases: ['backup'],
  description: 'Make a backup of an environment',
  help: 'A safe backup (the default) pauses writes to the environment while it runs; --live does not. The backup\'s name goes to standard output as "Backup name: <id>".',
  arguments: [{ syntax: '[environment]', description: 'The environment' }],
  options: {
    live: flag('--live', 'Live backup: do not pause writes to the environment while the backup runs'),
    unsafe: flag('--unsafe', 'Deprecated: use --live instead', { hidden: true }),
    project: projectOption,
    environment: environmentOption,
    ...waitOptions,
  },
  examples: ['$ backup:create', '$ backup:create main --live', '$ backup:create --yes --no-wait'],
  async run(ctx, args, options) {
    const selection = new Selection(ctx, options);
    const [projectId, environment] = await Promise.all([selection.projectId(), selection.environment(args[0])]);
    if (environment.status !== 'active') {
      throw new CliError('generic', `Operation not available: cannot create a backup of ${environment.id}\nThe environment is not active.`);
    }
    const wait = shouldWait(ctx, options);
    ctx.io.message(`Creating a backup of ${environment.id}.`);
    ctx.io.message('Note: this may delete an older backup if the quota has been reached.');
    if (!(await confirm(ctx.io, 'Are you sure you want to continue?', true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    if (wait && ctx.io.terminal.stdin.isTTY !== true) ctx.io.warning('Warning: use the --no-wait (-W) option if you are running this in a cron job.');

    const body = { safe: !(options.live === true || options.unsafe === true) };
    // The #backup link is there only for environment admins; without it the server names the
    // missing permission (exit 6).
    const link = linkOf(environment, '#backup');
    const operation = link
      ? ((await followLink(ctx, link, body)) as LongOperation)
      : expectData(
          await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/backup', { params: { path: { projectId, environmentId: environment.id } }, body }),
          ctx.loginHelp(),
        );
    const activity = startedActivity(operation, 'environment.backup');
    const backupName = activity.payload.backup_name;
    if (typeof backupName === 'string') ctx.io.data(`Backup name: ${backupName}\n`);
    await waitOrReport(ctx, activity, wait);
  },
});

