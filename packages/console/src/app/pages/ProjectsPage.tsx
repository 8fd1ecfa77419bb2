import { api, must } from '../api';
import { Link, paths } from '../router';
import { DateTime, ErrorMessage, Loading, PageTitle, useLoad } from '../ui';

export function ProjectsPage() {
  const projects = useLoad(() => must(api.GET('/projects')), 'projects');
  return (
    <>
      <PageTitle title="Projects">Projects</PageTitle>
      {projects.loading ? (
        <Loading what="projects" />
      ) : projects.error ? (
        <ErrorMessage error={projects.error} />
      ) : projects.data && projects.data.length > 0 ? (
        <ul className="cards">
          {projects.data.map((project) => (
            <li key={project.id} className="card">
              <h2>
                <Link to={paths.project(project.id)}>{project.title || project.id}</Link>
              </h2>
              <p className="muted">
                <code>{project.id}</code> · created <DateTime value={project.created_at} />
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>You have no projects yet. A project admin can invite you, or create one with <code>pier project:create</code>.</p>
      )}
    </>
  );
}
