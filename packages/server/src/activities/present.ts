import type { Activity, EnvironmentType } from '../db/schema.js';
import { decideEnvironmentAction, decideProjectAction, type Grant } from '../access/policy.js';
import { halLinks, segment } from '../http/hal.js';

/**
 * Who may cancel: the user who started it, or whoever may manage the environment (project admins
 * for project-level activities).
 */
export function mayCancel(activity: Activity, grant: Grant, userId: string, environmentType: EnvironmentType | undefined): boolean {
  if (activity.cancellable !== 1 || (activity.state !== 'pending' && activity.state !== 'in_progress')) return false;
  if (activity.actor_id === userId) return true;
  return environmentType
    ? decideEnvironmentAction(grant, 'environment:manage', environmentType).allowed
    : decideProjectAction(grant, 'project:edit').allowed;
}

export function presentActivity(activity: Activity, baseUrl: string, canCancel: boolean) {
  const self = `${baseUrl}/projects/${segment(activity.project_id)}/activities/${segment(activity.id)}`;
  const payload = JSON.parse(activity.payload) as Record<string, unknown>;
  return {
    id: activity.id,
    type: activity.type,
    state: activity.state,
    result: activity.result,
    // A lost lease is Pier's own reason; Platform.sh clients know only `error` and `shell`.
    failure_reason: activity.failure_reason === 'lease' ? 'error' : activity.failure_reason,
    completion_percent: activity.completion_percent,
    created_at: activity.created_at,
    updated_at: activity.updated_at,
    started_at: activity.started_at,
    completed_at: activity.completed_at,
    cancelled_at: activity.cancelled_at,
    expires_at: null,
    project: activity.project_id,
    environments: activity.environment_id ? [activity.environment_id] : [],
    parameters: JSON.parse(activity.parameters) as Record<string, unknown>,
    payload: { ...payload, user: { id: activity.actor_id, display_name: activity.actor_email, email: activity.actor_email } },
    description: activity.description,
    text: activity.text,
    log: '' as const,
    timings: {},
    commands: [],
    attempts: activity.attempts,
    started_by: {
      user_id: activity.actor_id,
      email: activity.actor_email,
      auth_method: activity.auth_method,
      api_token_id: activity.api_token_id,
      api_token_name: activity.api_token_name,
    },
    _links: halLinks([
      ['self', self],
      ['log', `${self}/log`],
      ['#cancel', `${self}/cancel`, 'POST', canCancel],
    ]),
  };
}
