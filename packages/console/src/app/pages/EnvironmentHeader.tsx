import { api, must } from '../api';
import { Link, paths } from '../router';
import { Badge, Tabs, useLoad } from '../ui';
import { useProject } from './ProjectPage';

export function useEnvironment(projectId: string, environmentId: string) {
  return useLoad(
    () => must(api.GET('/projects/{projectId}/environments/{environmentId}', { params: { path: { projectId, environmentId } } })),
    `environment:${projectId}:${environmentId}`,
  );
}

const sections = {
  activities: 'Activity',
  backups: 'Backups',
  variables: 'Settings › Variables',
} as const;

/** Breadcrumbs and the environment's section tabs. */
export function EnvironmentHeader({ projectId, environmentId, type, current }: { projectId: string; environmentId: string; type?: string; current: keyof typeof sections }) {
  const project = useProject(projectId);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to={paths.projects}>Projects</Link>
          </li>
          <li>
            <Link to={paths.project(projectId)}>{project.data?.title || projectId}</Link>
          </li>
          <li>
            <span>
              {environmentId} {type && <Badge tone={type === 'production' ? 'warn' : 'info'}>{type}</Badge>}
            </span>
          </li>
          <li>
            <span aria-current="page">{sections[current]}</span>
          </li>
        </ol>
      </nav>
      <Tabs label="Environment sections">
        <li>
          <Link to={paths.activities(projectId, environmentId)}>{sections.activities}</Link>
        </li>
        <li>
          <Link to={paths.backups(projectId, environmentId)}>{sections.backups}</Link>
        </li>
        <li>
          <Link to={paths.variables(projectId, environmentId)}>{sections.variables}</Link>
        </li>
      </Tabs>
    </>
  );
}
