import type { paths } from '@pier/api';
import { expectData } from '../api-client.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/**
 * An activity as the API returns it (Platform.sh fields plus `started_by`). `expires_at` is
 * always null, and the typed client's data types leave null-only fields out.
 */
export type Activity = Omit<Json<paths['/projects/{projectId}/activities/{activityId}']['get']['responses'][200]>, 'expires_at'>;
export type ActivityState = Activity['state'];

/** The body of a 202 for a long operation: the activities it started. */
export interface LongOperation {
  _embedded: { activities: Activity[] };
}

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
