import { stateLabel, type Activity } from './activity.js';

/** activity:list columns, as in the Platform.sh CLI (`started_by` is Pier's addition). */
export const activityColumns = ['id', 'created', 'completed', 'description', 'type', 'progress', 'state', 'result', 'environments', 'started_by'];
export const activityDefaultColumns = ['id', 'created', 'description', 'progress', 'state', 'result'];
export const activityDateColumns = ['created', 'completed'];

/** Who started an activity: `bot@example.com (api_token ci)` for a machine user's token. */
export function startedBy(activity: Activity): string {
  const who = activity.started_by.email ?? activity.started_by.user_id ?? 'system';
  return activity.started_by.api_token_name ? `${who} (${activity.started_by.auth_method} ${activity.started_by.api_token_name})` : who;
}

export function activityRow(activity: Activity): Record<string, unknown> {
  return {
    id: activity.id,
    created: activity.created_at,
    completed: activity.completed_at,
    // The plain-text description, as Platform.sh's activity:list shows.
    description: activity.text,
    type: activity.type,
    progress: `${activity.completion_percent}%`,
    state: stateLabel(activity.state),
    result: activity.result ?? '',
    environments: activity.environments.join(', '),
    started_by: startedBy(activity),
  };
}

/** activity:get properties: the resource without links, plus `duration` in seconds. */
export function activityProperties(activity: Activity): Record<string, unknown> {
  const { _links: _ignored, ...fields } = activity;
  const end = activity.completed_at ?? activity.cancelled_at;
  const duration = activity.started_at && end ? Math.round((Date.parse(end) - Date.parse(activity.started_at)) / 1000) : null;
  return { ...fields, duration };
}

export const activityDateProperties = ['created_at', 'updated_at', 'started_at', 'completed_at', 'cancelled_at'];
