import { defineCommand } from '../../lib/command.js';
import { changeEnvironmentStatus } from '../../lib/environment-status.js';
import { environmentOption, projectOption } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'environment:deactivate',
  description: 'Deactivate an environment',
  arguments: [{ syntax: '[environment...]', description: 'The environment(s) to deactivate' }],
  options: {
    project: projectOption,
    environment: environmentOption,
  },
  examples: ['$ environment:dedeactivate feature-x --yes'],
  async run(ctx, args, options) {
    await changeEnvironmentStatus(ctx, args, options, { verb: 'deactivate', target: 'inactive' });
  },
});

