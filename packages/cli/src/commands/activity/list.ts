import { activityColumns, activityDateColumns, activityDefaultColumns, activityRow } from '../../lib/activities/display.js';
import { activityFilterOptions, loadActivities, type ActivityFilterOptions } from '../../lib/activities/activity-loader.js';
import { activityScope } from '../../lib/activities/select-activity.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'activity:list',
  aliases: ['activities', 'act'],
  description: 'Get a list of activities for an environment or project',
  help: 'Newest first. Without --all, the activities of the selected (or detected) environment; with --all, or when no environment is selected, those of the whole project.',
  options: [
    ...activityFilterOptions,
    { flags: '--limit <limit>', description: 'Limit the number of results displayed', defaultValue: '10' },
    projectOption,
    environmentOption,
    ...outputOptionDefinitions,
  ],
  examples: ['$ activity:list', '$ activity:list --all --type backup --limit 20', '$ activity:list --state in_progress,pending --format csv'],
};

interface ListOptions extends SelectionOptions, ActivityFilterOptions {
  limit: string;
}

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as unknown as ListOptions;
  const output = readOutputOptions(rawOptions);
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError('usage', `Invalid --limit: ${options.limit} (a positive whole number)`);
  const scope = await activityScope(new Selection(ctx, options), options);
  const activities = await loadActivities(ctx, { ...scope, limit, filters: options });
  if (activities.length === 0) throw new CliError('generic', 'No activities found');
  const defaultColumns = scope.environmentId ? activityDefaultColumns : [...activityDefaultColumns, 'environments'];
  await renderTable(ctx.io, { columns: activityColumns, defaultColumns, rows: activities.map(activityRow), dateColumns: activityDateColumns }, output);
}
