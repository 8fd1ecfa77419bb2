import { expectData } from '../../lib/api-client.js';
import { defineCommand, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';

export const { definition, run } = defineCommand({
  name: 'project:create',
  aliases: ['create'],
  description: 'Create a new project (instance admins)',
  help: 'The new project has a production environment named after its default branch. Its ID alone goes to standard output, so scripts can capture it.',
  options: {
    title: text('--title <title>', 'The initial project title', { required: true }),
    defaultBranch: text('--default-branch <branch>', 'The default Git branch name for the project (the production environment)', { defaultValue: 'main' }),
  },
  examples: ['$ project:create --title "Shop"', 'PROJECT=$(pier project:create --title Shop --default-branch main)'],
  async run(ctx, _args, options) {
    const result = await ctx.api().POST('/projects', { body: { title: options.title, default_branch: options.defaultBranch } });
    const project = expectData(result, ctx.loginHelp())._embedded.entity;
    if (!project) throw new CliError('generic', 'The server did not return the new project.');
    ctx.io.message(`Created the project ${project.title} (${project.id}), with the environment ${project.default_branch}.`);
    ctx.io.data(`${project.id}\n`);
  },
});

