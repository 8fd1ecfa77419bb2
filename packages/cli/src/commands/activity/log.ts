import { isFinished, stateLabel } from '../../lib/activities/activity.js';
import { activityFilterOptions } from '../../lib/activities/activity-loader.js';
import { waitAndLog } from '../../lib/activities/monitor.js';
import { followActivityLog } from '../../lib/activities/log-stream.js';
import { selectActivity } from '../../lib/activities/select-activity.js';
import { defineCommand, flag, list, omitOptions, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'activity:log',
  description: 'Display the log for an activity',
  help: 'The log goes to standard output, the activity\'s details to standard error. An activity still running is followed until it ends (the log is sealed); --refresh 0 prints what there is and stops.',
  arguments: [{ syntax: '[id]', description: 'The activity ID. Defaults to the most recent activity.' }],
  options: {
    refresh: text('--refresh <seconds>', 'Activity refresh interval while following (at most 3; 0 to print the log so far and stop)', { defaultValue: '3' }),
    timestamps: flag('-t, --timestamps', 'Display a timestamp next to each message'),
    dateFmt: text('--date-fmt <format>', 'Timestamp format in PHP date() letters (default: ISO 8601 as the API returns it)'),
    ...omitOptions(activityFilterOptions, 'type'),
    type: list('--type <type>', 'Filter by type (repeatable; as activity:list --type)'),
    project: projectOption,
    environment: environmentOption,
  },
  examples: ['$ activity:log', '$ activity:log 019a0c5e-... --timestamps', '$ activity:log --type backup --all'],
  async run(ctx, args, options) {
    const refresh = Number(options.refresh);
    if (!Number.isFinite(refresh) || refresh < 0) throw new CliError('usage', `Invalid --refresh: ${options.refresh}`);
    const activity = await selectActivity(ctx, new Selection(ctx, options), args[0], options);
    ctx.io.message(
      [`Activity ID: ${activity.id}`, `Type: ${activity.type}`, `Description: ${activity.text}`, `Created: ${activity.created_at}`, `State: ${stateLabel(activity.state)}`, 'Log:'].join('\n'),
    );
    const formatDate = options.dateFmt ? await dateFormatter(options.dateFmt) : undefined;
    const timestamps = options.timestamps === true;
    if (refresh > 0 && !isFinished(activity)) {
      // Platform.sh's activity:log exits 0 whatever the result: the result line says it.
      await waitAndLog(ctx, activity, { logTo: 'stdout', timestamps, refreshSeconds: refresh, ...(formatDate ? { formatDate } : {}) });
      return;
    }
    // Finished (or --refresh 0): what the log holds now; a finished activity's log ends sealed.
    const stop = new AbortController();
    await followActivityLog(ctx, activity, {
      maxDelay: 0,
      signal: stop.signal,
      onLine: (line) => {
        const prefix = timestamps ? `[${formatDate ? formatDate(line.timestamp) : line.timestamp}] ` : '';
        ctx.io.data(`${prefix}${line.message.endsWith('\n') ? line.message : `${line.message}\n`}`);
      },
      onUnsealed: () => stop.abort(),
    });
  },
});

async function dateFormatter(phpFormat: string): Promise<(iso: string) => string> {
  const { formatDate } = await import('../../lib/output/php-date-format.js');
  return (iso) => formatDate(iso, phpFormat);
}
