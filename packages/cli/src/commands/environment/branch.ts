import { expectData } from '../../lib/api-client.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'environment:branch',
  aliases: ['branch'],
  description: 'Branch an environment',
  help: 'The parent is the PARENT argument, else the environment selected by -e or detected from the checkout, else the project\'s default environment.',
  arguments: [
    { syntax: '<id>', description: 'The ID (branch name) of the new environment' },
    { syntax: '[parent]', description: 'The parent of the new environment' },
  ],
  options: [
    { flags: '--title <title>', description: 'The title of the new environment' },
    { flags: '--type <type>', description: 'The type of the new environment: development (default) or staging' },
    projectOption,
    environmentOption,
  ],
  examples: ['$ environment:branch feature-x', '$ environment:branch sprint-2 main --type staging --title "Sprint 2"'],
};

interface BranchOptions extends SelectionOptions {
  title?: string;
  type?: string;
}

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as BranchOptions;
  const [name = '', parentArgument] = args;
  if (options.type !== undefined && options.type !== 'development' && options.type !== 'staging') {
    throw new CliError('usage', `Invalid environment type: ${options.type} (allowed: development, staging)`);
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
}
