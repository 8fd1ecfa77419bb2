import { startedActivity, type LongOperation } from '../../lib/activities/activity.js';
import { shouldWait, waitOptions, waitOrReport } from '../../lib/activities/wait-options.js';
import { expectData } from '../../lib/api-client.js';
import { defineCommand, text } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { getBackup, listBackups, type Backup } from '../../lib/backups/backup-api.js';
import { followLink, linkOf } from '../../lib/hal-link.js';
import { confirm } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'backup:restore',
  description: 'Restore an environment backup',
  help: 'Restores the files of a backup of the selected environment into it, or with --target into another environment. Without a backup ID, the most recent restorable backup.',
  arguments: [{ syntax: '[backup]', description: 'The ID of the backup. Defaults to the most recent one' }],
  options: {
    target: text('--target <environment>', 'The environment to restore to. Defaults to the backup\'s environment'),
    project: projectOption,
    environment: environmentOption,
    ...waitOptions,
  },
  examples: ['$ backup:restore', '$ backup:restore 019a0c5e-... --target staging --yes'],
  async run(ctx, args, options) {
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
    const backup = args[0] ? await getBackup(ctx, projectId, environmentId, args[0]) : await latestBackup(ctx, projectId, environmentId);
    if (!backup.restorable) throw new CliError('generic', `The backup ${backup.id} cannot be restored`);
    const wait = shouldWait(ctx, options);
    const question = options.target
      ? `Are you sure you want to restore this backup to the environment ${options.target}?`
      : 'Are you sure you want to restore this backup?';
    ctx.io.message(`Backup: ${backup.id} of ${backup.environment}, created at ${backup.created_at}`);
    if (!(await confirm(ctx.io, question, true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    const target = options.target ?? backup.environment;
    ctx.io.message(`Restoring backup ${backup.id} to ${target}`);

    const body = options.target ? { environment_name: options.target } : {};
    const link = linkOf(backup, '#restore');
    const operation = link
      ? ((await followLink(ctx, link, body)) as LongOperation)
      : expectData(
          await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/backups/{backupId}/restore', {
            params: { path: { projectId, environmentId, backupId: backup.id } },
            body,
          }),
          ctx.loginHelp(),
        );
    const activity = startedActivity(operation, 'environment.restore');
    if (!wait) ctx.io.data(`${activity.id}\n`);
    await waitOrReport(ctx, activity, wait);
  },
});

async function latestBackup(ctx: Context, projectId: string, environmentId: string): Promise<Backup> {
  const backups = await listBackups(ctx, projectId, environmentId);
  const latest = backups.find((backup) => backup.restorable) ?? backups[0];
  if (!latest) throw new CliError('generic', 'No backups found');
  return latest;
}
