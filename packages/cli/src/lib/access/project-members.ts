import { expectData, expectSuccess } from '../api-client.js';
import type { Project, ProjectUserAccess } from '../api-types.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { confirm } from '../prompt.js';
import { applyRoleChanges, describeRoleChanges, describeRoles, permissionsFromRoles, rolesFromPermissions, validateRoles, type RoleChanges } from './roles.js';

/** Everyone with access to the project, with their user record (the server embeds it). */
export async function listProjectMembers(ctx: Context, projectId: string): Promise<ProjectUserAccess[]> {
  const result = await ctx.api().GET('/projects/{project_id}/user-access', { params: { path: { project_id: projectId } } });
  return expectData(result, ctx.loginHelp()).items;
}

/**
 * Pending invitations whose sign-up link the server shows because no mail server sends it (only
 * to those who manage access: others get none).
 */
export async function unsentInvitationLinks(ctx: Context, projectId: string): Promise<Array<{ email: string; link: string }>> {
  const result = await ctx.api().GET('/projects/{project_id}/invitations', { params: { path: { project_id: projectId } } });
  if (result.response.status === 403) return [];
  return expectData(result, ctx.loginHelp()).flatMap((invitation) => (invitation.link ? [{ email: invitation.email, link: invitation.link }] : []));
}

export function findMemberByEmail(members: readonly ProjectUserAccess[], email: string): ProjectUserAccess | undefined {
  const wanted = email.toLowerCase();
  return members.find((member) => member.user.email.toLowerCase() === wanted);
}

/** The member, or exit 1 with Platform.sh's `User not found: <email>`. */
export async function requireMember(ctx: Context, projectId: string, email: string): Promise<ProjectUserAccess> {
  const member = findMemberByEmail(await listProjectMembers(ctx, projectId), email);
  if (!member) throw new CliError('generic', `User not found: ${email}`);
  return member;
}

/** The environment type ids `TYPE:ROLE` wildcards are matched against. */
export async function environmentTypeIds(ctx: Context, projectId: string): Promise<string[]> {
  const result = await ctx.api().GET('/projects/{projectId}/environment-types', { params: { path: { projectId } } });
  return expectData(result, ctx.loginHelp()).map((type) => type.id);
}

/**
 * Changes an existing member's roles: prints the current roles and a summary of changes, asks
 * for confirmation (default yes), then PATCHes the merged permission list.
 */
export async function updateMemberRoles(ctx: Context, project: Project, member: ProjectUserAccess, changes: RoleChanges): Promise<void> {
  const email = member.user.email;
  if (member.user_id === project.owner) throw new CliError('generic', "The project owner's role(s) cannot be changed.");
  const before = rolesFromPermissions(member.permissions);
  const after = applyRoleChanges(before, changes);
  validateRoles(after, changes);
  ctx.io.message(`Current role(s) of ${email} on ${project.title} (${project.id}):`);
  for (const line of describeRoles(before)) ctx.io.message(line);
  const summary = describeRoleChanges(before, after);
  if (summary.length === 0) {
    ctx.io.message('There are no changes to make.');
    return;
  }
  ctx.io.message('Summary of changes:');
  for (const line of summary) ctx.io.message(line);
  if (!(await confirm(ctx.io, 'Are you sure you want to make these change(s)?', true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
  const result = await ctx.api().PATCH('/projects/{project_id}/user-access/{user_id}', {
    params: { path: { project_id: project.id, user_id: member.user_id } },
    body: { permissions: permissionsFromRoles(after) },
  });
  expectSuccess(result, ctx.loginHelp());
  ctx.io.message('Access was updated successfully.');
}
