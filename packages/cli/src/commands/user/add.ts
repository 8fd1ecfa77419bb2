import { environmentTypeIds, findMemberByEmail, listProjectMembers, updateMemberRoles } from '../../lib/access/project-members.js';
import { roleOption } from '../../lib/access/role-option.js';
import { applyRoleChanges, describeRoles, parseRoleArguments, validateRoles, type AccessRoles, type TypeRole } from '../../lib/access/roles.js';
import { apiFailure } from '../../lib/api-client.js';
import type { InvitationRequest, Project } from '../../lib/api-types.js';
import { defineCommand, flag } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'user:add',
  description: 'Add a user to the project',
  help: [
    'A new e-mail address gets an invitation (an address that already has an account gets access at once);',
    'for someone who already has access to the project, this changes their roles as user:update does.',
  ].join('\n'),
  arguments: [{ syntax: '[email]', description: "The user's email address" }],
  options: {
    role: roleOption,
    forceInvite: flag('--force-invite', 'Send an invitation, even if one has already been sent'),
    project: projectOption,
  },
  examples: ['$ user:add bot@example.com --role viewer --role development:contributor', '$ user:add alice@example.com -r admin', '$ user:add bob@example.com -r viewer,%:viewer'],
  async run(ctx, args, options) {
    const email = args[0];
    if (!email) throw new CliError('usage', 'An email address is required (in non-interactive mode).');
    const selection = new Selection(ctx, options);
    const projectId = await selection.projectId();
    const [project, members, typeIds] = await Promise.all([selection.project(), listProjectMembers(ctx, projectId), environmentTypeIds(ctx, projectId)]);
    const changes = parseRoleArguments(options.role ?? [], typeIds);

    const member = findMemberByEmail(members, email);
    if (member) {
      await updateMemberRoles(ctx, project, member, changes);
      return;
    }
    const roles = applyRoleChanges(undefined, changes);
    validateRoles(roles, changes);
    ctx.io.message(`Adding the user ${email} to ${project.title} (${project.id}):`);
    for (const line of describeRoles(roles)) ctx.io.message(line);
    if (!(await confirm(ctx.io, 'Are you sure you want to add this user?', true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    await invite(ctx, project, email, roles, options.forceInvite === true);
  },
});

type InvitationTypeId = NonNullable<InvitationRequest['permissions']>[number]['type'];

/** POST the invitation; when one is already pending, offer to send it again (`force`). */
async function invite(ctx: Context, project: Project, email: string, roles: AccessRoles, force: boolean): Promise<void> {
  const body: InvitationRequest = {
    email,
    role: roles.projectRole,
    permissions: Object.entries(roles.typeRoles).map(([type, role]: [string, TypeRole]) => ({ type: type as InvitationTypeId, role })),
    force,
  };
  const result = await ctx.api().POST('/projects/{project_id}/invitations', { params: { path: { project_id: project.id } }, body });
  if (result.response.status === 409 && !force) {
    ctx.io.message(`An invitation has already been sent to ${email}`);
    if (!(await confirm(ctx.io, 'Do you want to send this invitation anyway?', true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    await invite(ctx, project, email, roles, true);
    return;
  }
  if (!result.data) throw apiFailure(result.response, result.error, ctx.loginHelp());
  if (result.data.state === 'accepted') ctx.io.message(`${email} already has an account: access was granted directly.`);
  else if (result.data.link) {
    // The server has no mail server: the link is for this admin to pass on (stdout, for scripts).
    ctx.io.message(`No mail server is configured on the server: send ${email} this sign-up link yourself (it works once):`);
    ctx.io.data(`${result.data.link}\n`);
  } else ctx.io.message(`An invitation has been sent to ${email}`);
}
