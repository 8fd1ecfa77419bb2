import { environmentTypeIds, requireMember, updateMemberRoles } from '../../lib/access/project-members.js';
import { roleOption } from '../../lib/access/role-option.js';
import { parseRoleArguments } from '../../lib/access/roles.js';
import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'user:update',
  description: "Update a user's role(s) on a project",
  arguments: [{ syntax: '<email>', description: "The user's email address" }],
  options: {
    role: roleOption,
    project: projectOption,
  },
  examples: ['$ user:update bot@example.com -r development:a,staging:a', '$ user:update bot@example.com -r %:c', '$ user:update bot@example.com -r production:none'],
  async run(ctx, args, options) {
    const email = args[0] ?? '';
    if (!options.role?.length) throw new CliError('usage', 'Specify at least one role with --role (-r).');
    const selection = new Selection(ctx, options);
    const projectId = await selection.projectId();
    const [project, member, typeIds] = await Promise.all([selection.project(), requireMember(ctx, projectId, email), environmentTypeIds(ctx, projectId)]);
    await updateMemberRoles(ctx, project, member, parseRoleArguments(options.role, typeIds));
  },
});

