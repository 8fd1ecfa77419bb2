import type { Activity, LongOperation } from '@pier/api';
import { expectData } from '../api-client.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';

export type { Activity, LongOperation };
export type ActivityState = Activity['state'];

export function isFinished(activity: Pick<Activity, 'state'>): boolean {
  return activity.state === 'complete' || activity.state === 'cancelled';
}

/** `in_progress` → `in progress`, as the Platform.sh CLI prints states. */
export function stateLabel(state: string): string {
  return state.replace(/_/g, ' ');
}

export async function fetchActivity(ctx: Context, projectId: string, activityId: string): Promise<Activity> {
  const result = await ctx.api().GET('/projects/{projectId}/activities/{activityId}', { params: { path: { projectId, activityId } } });
  if (result.response.status === 404) throw new CliError('generic', `Activity not found: ${activityId}`);
  return expectData(result, ctx.loginHelp());
}

/** The one activity a long operation started, of the type expected. */
export function startedActivity(operation: LongOperation, type: string): Activity {
  const activity = operation._embedded.activities.find((candidate) => candidate.type === type) ?? operation._embedded.activities[0];
  if (!activity) throw new CliError('generic', 'The server did not return the activity it started.');
  return activity;
}
