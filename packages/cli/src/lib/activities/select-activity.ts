import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Selection } from '../selection/selection.js';
import { fetchActivity, type Activity } from './activity.js';
import { loadActivities, type ActivityFilterOptions } from './activity-loader.js';

/**
 * Activities of the selected environment, or of the whole project with --all or when no
 * environment is selected or detected (as the Platform.sh CLI).
 */
export async function activityScope(selection: Selection, filters: ActivityFilterOptions): Promise<{ projectId: string; environmentId?: string }> {
  const projectId = await selection.projectId();
  if (filters.all) return { projectId };
  const environment = await selection.optionalEnvironment();
  return environment ? { projectId, environmentId: environment.id } : { projectId };
}

/** The activity named by id, else the most recent one that matches the filters. */
export async function selectActivity(ctx: Context, selection: Selection, id: string | undefined, filters: ActivityFilterOptions): Promise<Activity> {
  if (id) return fetchActivity(ctx, await selection.projectId(), id);
  const [latest] = await loadActivities(ctx, { ...(await activityScope(selection, filters)), limit: 1, filters });
  if (!latest) throw new CliError('generic', 'No activities found');
  return latest;
}
