import type { Project } from '@pier/api';
import { api, can, must } from '../api';
import { Link, paths } from '../router';
import { Badge, DateTime, ErrorMessage, Loading, PageTitle, Tabs, useLoad } from '../ui';

export function useProject(projectId: string) {
  return useLoad(() => must(api.GET('/projects/{projectId}', { params: { path: { projectId } } })), `project:${projectId}`);
}

/** Breadcrumbs and the project's section tabs, shared by the project pages. */
export function ProjectHeader({ project, current }: { project: Project; current: 'environments' | 'access' }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to={paths.projects}>Projects</Link>
          </li>
          <li>
            <Link to={paths.project(project.id)} aria-current={current === 'environments' ? 'page' : undefined}>
              {project.title || project.id}
            </Link>
          </li>
          {current === 'access' && (
            <li>
              <span aria-current="page">Settings › Access</span>
            </li>
          )}
        </ol>
      </nav>
      <Tabs label="Project sections">
        <li>
          <Link to={paths.project(project.id)}>Environments</Link>
        </li>
        <li>
          <Link to={paths.access(project.id)}>Settings › Access</Link>
        </li>
      </Tabs>
    </>
  );
}

export function ProjectPage({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  const environments = useLoad(() => must(api.GET('/projects/{projectId}/environments', { params: { path: { projectId } } })), `environments:${projectId}`);

  if (project.loading) return <Loading what="the project" />;
  if (!project.data) return <ErrorMessage error={project.error} />;
  return (
    <>
      <PageTitle title={project.data.title}>{project.data.title || projectId}</PageTitle>
      <ProjectHeader project={project.data} current="environments" />
      <h2>Environments</h2>
      {environments.loading ? (
        <Loading what="environments" />
      ) : environments.error ? (
        <ErrorMessage error={environments.error} />
      ) : (
        <ul className="cards">
          {environments.data?.map((environment) => (
            <li key={environment.id} className="card">
              <h3>
                <Link to={paths.environment(projectId, environment.id)}>{environment.title || environment.name}</Link>
              </h3>
              <p>
                <Badge tone={environment.type === 'production' ? 'warn' : 'info'}>{environment.type}</Badge>{' '}
                <Badge tone={environment.status === 'active' ? 'ok' : 'neutral'}>{environment.status}</Badge>
                {can(environment, '#manage-variables') && <span className="visually-hidden"> (you manage its variables)</span>}
              </p>
              <p className="muted">
                Last backup: <DateTime value={environment.last_backup_at} empty="none" />
              </p>
            </li>
          ))}
          {environments.data?.length === 0 && <li>No environments you may see.</li>}
        </ul>
      )}
    </>
  );
}
