import { requireMember } from '../../lib/access/project-members.js';
import { expectSuccess } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'user:delete',
  description: 'Delete a user from the project',
  arguments: [{ syntax: '<email>', description: "The user's email address" }],
  options: {
    project: projectOption,
  },
  examples: ['$ user:delete bot@example.com --yes'],
  async run(ctx, args, options) {
    const email = args[0] ?? '';
    const selection = new Selection(ctx, options);
    const projectId = await selection.projectId();
    const [project, member] = await Promise.all([selection.project(), requireMember(ctx, projectId, email)]);
    if (member.user_id === project.owner) throw new CliError('generic', 'The project owner cannot be deleted.');
    if (!(await confirm(ctx.io, `Are you sure you want to delete the user ${member.user.email}?`, true, ctx.globals.yes))) {
      throw new CliError('generic', 'Cancelled.');
    }
    const result = await ctx.api().DELETE('/projects/{project_id}/user-access/{user_id}', { params: { path: { project_id: projectId, user_id: member.user_id } } });
    expectSuccess(result, ctx.loginHelp());
    ctx.io.message(`User ${member.user.email} deleted`);
  },
});

