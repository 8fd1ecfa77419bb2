import { useEffect, useState } from 'react';
import { api, must } from '../api';
import { Badge, DateTime, ErrorMessage, Loading, PageTitle, useLoad } from '../ui';
import { EnvironmentHeader, useEnvironment } from './EnvironmentHeader';
import { ActivityLog } from './activity-log';

type Activity = Awaited<ReturnType<typeof loadActivities>>[number];

function loadActivities(projectId: string, environmentId: string) {
  return must(api.GET('/projects/{projectId}/environments/{environmentId}/activities', { params: { path: { projectId, environmentId } } }));
}

export function ActivityState({ activity }: { activity: Pick<Activity, 'state' | 'result' | 'completion_percent'> }) {
  if (activity.state === 'complete') return <Badge tone={activity.result === 'failure' ? 'bad' : 'ok'}>{activity.result ?? 'complete'}</Badge>;
  if (activity.state === 'in_progress') return <Badge tone="info">running {activity.completion_percent}%</Badge>;
  return <Badge>{activity.state}</Badge>;
}

/** The environment's activity stream; refreshes while something is running; opens a live log. */
export function ActivitiesPage({ projectId, environmentId }: { projectId: string; environmentId: string }) {
  const environment = useEnvironment(projectId, environmentId);
  const activities = useLoad(() => loadActivities(projectId, environmentId), `activities:${projectId}:${environmentId}`);
  const [selected, setSelected] = useState<string | null>(() => new URLSearchParams(window.location.search).get('activity'));
  const running = activities.data?.some((activity) => activity.state === 'pending' || activity.state === 'in_progress') ?? false;
  const { reload } = activities;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 2_000);
    return () => clearInterval(timer);
  }, [running, reload]);

  const chosen = activities.data?.find((activity) => activity.id === selected) ?? activities.data?.[0];

  return (
    <>
      <PageTitle title={`Activity · ${environmentId}`}>Activity</PageTitle>
      <EnvironmentHeader projectId={projectId} environmentId={environmentId} type={environment.data?.type} current="activities" />
      {activities.loading && !activities.data ? (
        <Loading what="activities" />
      ) : activities.error ? (
        <ErrorMessage error={activities.error} />
      ) : activities.data && activities.data.length > 0 ? (
        <div className="split">
          <div className="table-wrap">
            <table aria-label="Activities">
              <thead>
                <tr>
                  <th scope="col">Activity</th>
                  <th scope="col">State</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {activities.data.map((activity) => (
                  <tr key={activity.id} className={activity.id === chosen?.id ? 'selected' : undefined}>
                    <th scope="row">
                      <button type="button" className="link" aria-pressed={activity.id === chosen?.id} onClick={() => setSelected(activity.id)}>
                        {activity.text || activity.description || activity.type}
                      </button>
                      <span className="muted block mono">{activity.type}</span>
                    </th>
                    <td>
                      <ActivityState activity={activity} />
                    </td>
                    <td>
                      <DateTime value={activity.started_at ?? activity.created_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {chosen && (
            <div>
              <h2>Log: {chosen.text || chosen.type}</h2>
              <ActivityLog key={chosen.id} logHref={chosen._links.log?.href} label={`Log of ${chosen.type}`} />
            </div>
          )}
        </div>
      ) : (
        <p>No activities yet on this environment.</p>
      )}
    </>
  );
}
