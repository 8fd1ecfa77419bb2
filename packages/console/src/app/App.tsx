import { useEffect, type ReactNode } from 'react';
import { Link, match, navigate, paths, useLocation } from './router';
import { useSession } from './session';
import { Loading, PageTitle } from './ui';
import { LoginPage } from './pages/LoginPage';
import { SignUpPage } from './pages/SignUpPage';
import { ApiTokensPage } from './pages/ApiTokensPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { ProjectPage } from './pages/ProjectPage';
import { AccessPage } from './pages/AccessPage';
import { VariablesPage } from './pages/VariablesPage';
import { ActivitiesPage } from './pages/ActivitiesPage';
import { BackupsPage } from './pages/BackupsPage';

type Route = [pattern: string, render: (params: Record<string, string>) => ReactNode];

/** Pages that need a session; the login and sign-up pages are public. */
const project = '/console/projects/:projectId';
const environment = `${project}/environments/:environmentId`;
const routes: Route[] = [
  [paths.projects, () => <ProjectsPage />],
  [paths.apiTokens, () => <ApiTokensPage />],
  [project, (p) => <ProjectPage projectId={p.projectId!} />],
  [`${project}/settings/access`, (p) => <AccessPage projectId={p.projectId!} />],
  [`${environment}/activities`, (p) => <ActivitiesPage projectId={p.projectId!} environmentId={p.environmentId!} />],
  [`${environment}/backups`, (p) => <BackupsPage projectId={p.projectId!} environmentId={p.environmentId!} />],
  [`${environment}/settings/variables`, (p) => <VariablesPage projectId={p.projectId!} environmentId={p.environmentId!} />],
];

const redirects: Record<string, string> = {
  '/': paths.projects,
  '/console': paths.projects,
  [paths.profile]: paths.apiTokens,
};

export function App() {
  const { path } = useLocation();
  const { user } = useSession();
  const redirect = redirects[path] ?? (match(environment, path) ? `${path}/activities` : undefined);

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (path === '/sign-up') return <Shell><SignUpPage /></Shell>;
  if (user === undefined) return <Shell><Loading what="your session" /></Shell>;
  if (user === null) return <Shell><LoginPage /></Shell>;
  if (path === paths.login) return <Redirect to={paths.projects} />;
  for (const [pattern, render] of routes) {
    const params = match(pattern, path);
    if (params) return <Shell>{render(params)}</Shell>;
  }
  if (redirect) return null;
  return (
    <Shell>
      <PageTitle title="Page not found">Page not found</PageTitle>
      <p>
        There is no console page at <code>{path}</code>. <Link to={paths.projects}>Go to your projects</Link>.
      </p>
    </Shell>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Shell({ children }: { children: ReactNode }) {
  const { user, logout } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={paths.projects} onClick={(event) => { event.preventDefault(); navigate(paths.projects); }}>
          Pier
        </a>
        {user && (
          <nav aria-label="Main">
            <ul>
              <li>
                <Link to={paths.projects}>Projects</Link>
              </li>
              <li>
                <Link to={paths.apiTokens}>My profile</Link>
              </li>
              <li className="who">
                <span className="email">{user.email}</span>
                <button
                  type="button"
                  onClick={() =>
                    void logout().then(() => navigate(paths.login, { replace: true }))
                  }
                >
                  Log out
                </button>
              </li>
            </ul>
          </nav>
        )}
      </header>
      <main id="main">{children}</main>
    </>
  );
}
