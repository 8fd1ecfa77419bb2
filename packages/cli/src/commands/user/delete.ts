import { requireMember } from '../../lib/access/project-members.js';
import { expectSuccess } from '../../lib/api-client.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'user:delete',
  description: 'Delete a user from the project',
  arguments: [{ syntax: '<email>', description: "The user's email address" }],
  options: [projectOption],
  examples: ['$ user:delete bot@example.com --yes'],
};

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const email = args[0] ?? '';
  const selection = new Selection(ctx, rawOptions as SelectionOptions);
  const projectId = await selection.projectId();
  const [project, member] = await Promise.all([selection.project(), requireMember(ctx, projectId, email)]);
  if (member.user_id === project.owner) throw new CliError('generic', 'The project owner cannot be deleted.');
  if (!(await confirm(ctx.io, `Are you sure you want to delete the user ${member.user.email}?`, true, ctx.globals.yes))) {
    throw new CliError('generic', 'Cancelled.');
  }
  const result = await ctx.api().DELETE('/projects/{project_id}/user-access/{user_id}', { params: { path: { project_id: projectId, user_id: member.user_id } } });
  expectSuccess(result, ctx.loginHelp());
  ctx.io.message(`User ${member.user.email} deleted`);
}
