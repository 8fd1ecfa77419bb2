import { activityDateProperties, activityProperties } from '../../lib/activities/display.js';
import { activityFilterOptions } from '../../lib/activities/activity-loader.js';
import { selectActivity } from '../../lib/activities/select-activity.js';
import { defineCommand, text } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'activity:get',
  description: 'View detailed information on a single activity',
  help: 'Without an ID, the most recent activity (of the environment, or with --all of the project) that matches the filters.',
  arguments: [{ syntax: '[id]', description: 'The activity ID. Defaults to the most recent activity.' }],
  options: {
    property: text('-P, --property <property>', 'The property to view, e.g. state, result, completed_at, duration, payload'),
    ...activityFilterOptions,
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ activity:get', '$ activity:get 019a0c5e-... -P state', '$ activity:get --type backup --all -P payload'],
  async run(ctx, args, options) {
    const output = readOutputOptions(options);
    const activity = await selectActivity(ctx, new Selection(ctx, options), args[0], options);
    const properties = activityProperties(activity);
    if (options.property) printProperty(ctx.io, properties, options.property);
    else await renderProperties(ctx.io, properties, output, activityDateProperties);
  },
});

