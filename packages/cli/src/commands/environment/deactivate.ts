import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { changeEnvironmentStatus } from '../../lib/environment-status.js';
import { environmentOption, projectOption, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'environment:deactivate',
  description: 'Deactivate an environment',
  arguments: [{ syntax: '[environment...]', description: 'The environment(s) to deactivate' }],
  options: [projectOption, environmentOption],
  examples: ['$ environment:dedeactivate feature-x --yes'],
};

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  await changeEnvironmentStatus(ctx, args, rawOptions as SelectionOptions, { verb: 'deactivate', target: 'inactive' });
}
