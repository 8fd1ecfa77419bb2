import { fetchActivity, stateLabel, type Activity } from '../../lib/activities/activity.js';
import { activityFilterOptions, loadActivities, type ActivityFilterOptions } from '../../lib/activities/activity-loader.js';
import { activityScope } from '../../lib/activities/select-activity.js';
import { expectSuccess } from '../../lib/api-client.js';
import { defineCommand, omitOptions } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { followLink, linkOf } from '../../lib/hal-link.js';
import { ask } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'activity:cancel',
  description: 'Cancel an activity',
  help: 'Without an ID: the only pending or running activity you may cancel, or (with several) the one you choose; non-interactively, the most recent.',
  arguments: [{ syntax: '[id]', description: 'The activity ID. Defaults to the most recent cancellable activity.' }],
  options: {
    ...omitOptions(activityFilterOptions, 'state', 'result', 'incomplete'),
    project: projectOption,
    environment: environmentOption,
  },
  examples: ['$ activity:cancel', '$ activity:cancel 019a0c5e-...'],
  async run(ctx, args, options) {
    const selection = new Selection(ctx, options);
    const activity = args[0] ? await fetchActivity(ctx, await selection.projectId(), args[0]) : await chooseCancellable(ctx, selection, options);
    const link = linkOf(activity, '#cancel');
    if (!link && activity.state !== 'pending' && activity.state !== 'in_progress') {
      throw new CliError('generic', `The activity cannot be cancelled in its current state (${stateLabel(activity.state)}).`);
    }
    if (link) await followLink(ctx, link, {});
    else {
      // Without the link the server says why (not cancellable, or whose permission is missing).
      const result = await ctx.api().POST('/projects/{projectId}/activities/{activityId}/cancel', { params: { path: { projectId: activity.project, activityId: activity.id } } });
      expectSuccess(result, ctx.loginHelp());
    }
    ctx.io.message('The activity was successfully cancelled.');
  },
});

type CancelOptions = SelectionOptions & ActivityFilterOptions;

async function chooseCancellable(ctx: Context, selection: Selection, options: CancelOptions): Promise<Activity> {
  const scope = await activityScope(selection, options);
  const candidates = (await loadActivities(ctx, { ...scope, limit: 50, filters: { ...options, state: ['pending', 'in_progress'] } })).filter((activity) => linkOf(activity, '#cancel'));
  const [first] = candidates;
  if (!first) throw new CliError('generic', 'No cancellable activities found');
  if (candidates.length === 1 || !ctx.io.interactive) return first;
  ctx.io.message(candidates.map((activity, index) => `  [${index + 1}] ${activity.id}: ${activity.text} (${stateLabel(activity.state)})`).join('\n'));
  const answer = Number(await ask(ctx.io, `Enter a number to choose an activity to cancel [1]:`) || '1');
  const chosen = candidates[answer - 1];
  if (!chosen) throw new CliError('usage', `Invalid choice: ${answer}`);
  return chosen;
}
