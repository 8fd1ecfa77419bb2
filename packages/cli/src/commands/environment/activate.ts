import { defineCommand } from '../../lib/command.js';
import { changeEnvironmentStatus } from '../../lib/environment-status.js';
import { environmentOption, projectOption } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'environment:activate',
  description: 'Activate an environment',
  arguments: [{ syntax: '[environment...]', description: 'The environment(s) to activate' }],
  options: {
    project: projectOption,
    environment: environmentOption,
  },
  examples: ['$ environment:activate feature-x --yes'],
  async run(ctx, args, options) {
    await changeEnvironmentStatus(ctx, args, options, { verb: 'activate', target: 'active' });
  },
});

