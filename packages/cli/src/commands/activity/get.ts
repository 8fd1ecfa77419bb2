import { activityDateProperties, activityProperties } from '../../lib/activities/display.js';
import { activityFilterOptions, type ActivityFilterOptions } from '../../lib/activities/activity-loader.js';
import { selectActivity } from '../../lib/activities/select-activity.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'activity:get',
  description: 'View detailed information on a single activity',
  help: 'Without an ID, the most recent activity (of the environment, or with --all of the project) that matches the filters.',
  arguments: [{ syntax: '[id]', description: 'The activity ID. Defaults to the most recent activity.' }],
  options: [
    { flags: '-P, --property <property>', description: 'The property to view, e.g. state, result, completed_at, duration, payload' },
    ...activityFilterOptions,
    projectOption,
    environmentOption,
    ...outputOptionDefinitions,
  ],
  examples: ['$ activity:get', '$ activity:get 019a0c5e-... -P state', '$ activity:get --type backup --all -P payload'],
};

interface GetOptions extends SelectionOptions, ActivityFilterOptions {
  property?: string;
}

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as unknown as GetOptions;
  const output = readOutputOptions(rawOptions);
  const activity = await selectActivity(ctx, new Selection(ctx, options), args[0], options);
  const properties = activityProperties(activity);
  if (options.property) printProperty(ctx.io, properties, options.property);
  else await renderProperties(ctx.io, properties, output, activityDateProperties);
}
