import { activityColumns, activityDateColumns, activityDefaultColumns, activityRow } from '../../lib/activities/display.js';
import { activityFilterOptions, loadActivities } from '../../lib/activities/activity-loader.js';
import { activityScope } from '../../lib/activities/select-activity.js';
import { defineCommand, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'activity:list',
  aliases: ['activities', 'act'],
  description: 'Get a list of activities for an environment or project',
  help: 'Newest first. Without --all, the activities of the selected (or detected) environment; with --all, or when no environment is selected, those of the whole project.',
  options: {
    ...activityFilterOptions,
    limit: text('--limit <limit>', 'Limit the number of results displayed', { defaultValue: '10' }),
    project: projectOption,
    environment: environmentOption,
    ...outputOptions,
  },
  examples: ['$ activity:list', '$ activity:list --all --type backup --limit 20', '$ activity:list --state in_progress,pending --format csv'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new CliError('usage', `Invalid --limit: ${options.limit} (a positive whole number)`);
    const scope = await activityScope(new Selection(ctx, options), options);
    const activities = await loadActivities(ctx, { ...scope, limit, filters: options });
    if (activities.length === 0) throw new CliError('generic', 'No activities found');
    const defaultColumns = scope.environmentId ? activityDefaultColumns : [...activityDefaultColumns, 'environments'];
    await renderTable(ctx.io, { columns: activityColumns, defaultColumns, rows: activities.map(activityRow), dateColumns: activityDateColumns }, output);
  },
});

