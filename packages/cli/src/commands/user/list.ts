import { listProjectMembers, unsentInvitationLinks } from '../../lib/access/project-members.js';
import { memberColumns, memberDateColumns, memberRow } from '../../lib/access/member-row.js';
import { defineCommand } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'user:list',
  aliases: ['users'],
  description: 'List project users',
  options: {
    project: projectOption,
    ...outputOptions,
  },
  examples: ['$ user:list', '$ user:list --format plain --columns +perm%'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const selection = new Selection(ctx, options);
    const projectId = await selection.projectId();
    const [project, members, unsent] = await Promise.all([selection.project(), listProjectMembers(ctx, projectId), unsentInvitationLinks(ctx, projectId)]);
    // The owner first, as the Platform.sh CLI lists them; then by e-mail.
    const sorted = [...members].sort(
      (a, b) => Number(b.user_id === project.owner) - Number(a.user_id === project.owner) || a.user.email.localeCompare(b.user.email),
    );
    await renderTable(
      ctx.io,
      {
        columns: memberColumns,
        defaultColumns: ['email', 'name', 'role', 'id'],
        rows: sorted.map((member) => memberRow(project, member)),
        dateColumns: memberDateColumns,
        headers: { email: 'Email address', name: 'Name', role: 'Project role', id: 'ID', permissions: 'Permissions', granted_at: 'Granted at', updated_at: 'Updated at' },
      },
      output,
    );
    if (unsent.length > 0) {
      ctx.io.message('\nPending invitations: no mail server is configured on the server, so send each sign-up link yourself:');
      for (const { email, link } of unsent) ctx.io.message(`  ${email}: ${link}`);
    }
  },
});

