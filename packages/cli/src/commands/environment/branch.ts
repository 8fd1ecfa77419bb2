import { branchableEnvironmentTypes, isBranchableEnvironmentType } from '@pier/api';
import { expectData } from '../../lib/api-client.js';
import { defineCommand, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'environment:branch',
  aliases: ['branch'],
  description: 'Branch an environment',
  help: 'The parent is the PARENT argument, else the environment selected by -e or detected from the checkout, else the project\'s default environment.',
  arguments: [
    { syntax: '<id>', description: 'The ID (branch name) of the new environment' },
    { syntax: '[parent]', description: 'The parent of the new environment' },
  ],
  options: {
    title: text('--title <title>', 'The title of the new environment'),
    type: text('--type <type>', `The type of the new environment: ${branchableEnvironmentTypes.join(' or ')} (default: development)`),
    project: projectOption,
    environment: environmentOption,
  },
  examples: ['$ environment:branch feature-x', '$ environment:branch sprint-2 main --type staging --title "Sprint 2"'],
  async run(ctx, args, options) {
    const [name = '', parentArgument] = args;
    if (options.type !== undefined && !isBranchableEnvironmentType(options.type)) {
      throw new CliError('usage', `Invalid environment type: ${options.type} (allowed: ${branchableEnvironmentTypes.join(', ')})`);
    }
    const selection = new Selection(ctx, options);
    const projectId = await selection.projectId();
    const parentId = await selection.environmentIdOrDefault(parentArgument);
    ctx.io.message(`Creating a new environment ${name}, branched from ${parentId}`);
    const result = await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/branch', {
      params: { path: { projectId, environmentId: parentId } },
      body: { name, ...(options.title ? { title: options.title } : {}), ...(options.type ? { type: options.type } : {}) },
    });
    const created = expectData(result, ctx.loginHelp())._embedded.entity;
    ctx.io.message(`The environment ${created?.id ?? name} (${created?.type ?? 'development'}) has been created.`);
  },
});

