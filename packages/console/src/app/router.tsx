import { createContext, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/**
 * A small history router: the console has a dozen pages, so a dependency would weigh more than
 * this. Console pages live under /console/ so they never collide with API paths; /sign-up is the
 * path of the e-mailed invitation link.
 */
interface Location {
  path: string;
  query: URLSearchParams;
}

const LocationContext = createContext<Location>({ path: '/', query: new URLSearchParams() });

function current(): Location {
  return { path: window.location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(window.location.search) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return <LocationContext.Provider value={location}>{children}</LocationContext.Provider>;
}

export function useLocation(): Location {
  return useContext(LocationContext);
}

/** Matches `/console/projects/:projectId` style patterns; returns the decoded parameters. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}$`).exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]));
}

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const location = useLocation();
  function follow(event: MouseEvent<HTMLAnchorElement>) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  }
  const active = location.path === to;
  return (
    <a href={to} onClick={follow} aria-current={active ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}

export const paths = {
  login: '/console/login',
  projects: '/console/projects',
  apiTokens: '/console/profile/api-tokens',
  profile: '/console/profile',
  project: (p: string) => `/console/projects/${encodeURIComponent(p)}`,
  access: (p: string) => `/console/projects/${encodeURIComponent(p)}/settings/access`,
  environment: (p: string, e: string) => `/console/projects/${encodeURIComponent(p)}/environments/${encodeURIComponent(e)}`,
  activities: (p: string, e: string) => `${paths.environment(p, e)}/activities`,
  backups: (p: string, e: string) => `${paths.environment(p, e)}/backups`,
  variables: (p: string, e: string) => `${paths.environment(p, e)}/settings/variables`,
};
