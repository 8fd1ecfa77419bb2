import { expectSuccess } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { getBackup } from '../../lib/backups/backup-api.js';
import { followLink, linkOf } from '../../lib/hal-link.js';
import { confirm } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'backup:delete',
  description: 'Delete an environment backup',
  arguments: [{ syntax: '<backup>', description: 'The ID of the backup' }],
  options: {
    project: projectOption,
    environment: environmentOption,
  },
  examples: ['$ backup:delete 019a0c5e-... --yes'],
  async run(ctx, args, options) {
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentId()]);
    const backup = await getBackup(ctx, projectId, environmentId, args[0] ?? '');
    if (!(await confirm(ctx.io, `Are you sure you want to delete the backup ${backup.id}?`, true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    const link = linkOf(backup, '#delete');
    if (link) await followLink(ctx, link);
    else {
      // No link: not allowed, or still being created; the server says which.
      const path = { projectId, environmentId, backupId: backup.id };
      expectSuccess(await ctx.api().DELETE('/projects/{projectId}/environments/{environmentId}/backups/{backupId}', { params: { path } }), ctx.loginHelp());
    }
    ctx.io.message(`Deleted backup ${backup.id}`);
  },
});

