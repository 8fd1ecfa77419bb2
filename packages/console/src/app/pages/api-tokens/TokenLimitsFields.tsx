import { useId } from 'react';
import type { ApiToken, paths } from '@pier/api';
import { noTypeRoles, permissionsFromChoice, RoleFields, type RoleChoice } from '../access-roles';

/** What the create form needs to know of a project to offer it as a limit. */
export interface ProjectChoice {
  id: string;
  title: string;
}

/**
 * The optional limits of a new API token, as the form edits them: some projects, each with a
 * ceiling in the access vocabulary (the server intersects it with the user's own roles), and the
 * addresses it may be used from.
 */
export interface TokenLimits {
  projects: Record<string, RoleChoice>;
  allowedIps: string;
}

export const noTokenLimits = (): TokenLimits => ({ projects: {}, allowedIps: '' });

type CreateApiTokenBody = NonNullable<paths['/users/{user_id}/api-tokens']['post']['requestBody']>['content']['application/json'];

/** The request fields for the limits; an empty choice sends nothing (the token is unlimited). */
export function tokenLimitsBody(limits: TokenLimits): Pick<CreateApiTokenBody, 'scope' | 'allowed_ips'> {
  const scope = Object.entries(limits.projects).map(([project_id, choice]) => ({ project_id, permissions: permissionsFromChoice(choice) }));
  // The server checks and normalises each range, and names a bad one in its 400 answer.
  const allowedIps = limits.allowedIps.split(/[\s,]+/).filter(Boolean);
  return { ...(scope.length > 0 ? { scope } : {}), ...(allowedIps.length > 0 ? { allowed_ips: allowedIps } : {}) };
}

export function TokenLimitsFields({ projects, limits, onChange }: { projects: readonly ProjectChoice[]; limits: TokenLimits; onChange: (limits: TokenLimits) => void }) {
  const id = useId();

  function toggle(projectId: string, limited: boolean) {
    const next = { ...limits.projects };
    if (limited) next[projectId] = { role: 'viewer', types: noTypeRoles() };
    else delete next[projectId];
    onChange({ ...limits, projects: next });
  }

  return (
    <details className="token-limits">
      <summary>Limits (optional): projects and IP ranges</summary>
      <div className="stack">
        <fieldset className="limit-projects" aria-describedby={`${id}-projects-hint`}>
          <legend>Limit to projects</legend>
          <p id={`${id}-projects-hint`} className="hint">
            Without a limit the token can do all you can, in every project. Limited to projects, it can act only there, with at most the roles chosen here
            (and never more than your own).
          </p>
          {projects.length === 0 && <p className="hint">You have no projects to choose from.</p>}
          {projects.map((project) => {
            const choice = limits.projects[project.id];
            return (
              <div key={project.id} className="stack">
                <label className="check">
                  <input type="checkbox" checked={Boolean(choice)} onChange={(event) => toggle(project.id, event.target.checked)} />
                  <span>
                    {project.title || project.id} <code className="muted">{project.id}</code>
                  </span>
                </label>
                {choice && (
                  <RoleFields
                    legend={`Token roles in ${project.title || project.id}`}
                    choice={choice}
                    onChange={(changed) => onChange({ ...limits, projects: { ...limits.projects, [project.id]: changed } })}
                  />
                )}
              </div>
            );
          })}
        </fieldset>
        <label>
          Allowed IP ranges
          <textarea
            name="allowed_ips"
            rows={2}
            value={limits.allowedIps}
            placeholder="10.0.0.0/8, 2001:db8::/32"
            aria-describedby={`${id}-ips-hint`}
            onChange={(event) => onChange({ ...limits, allowedIps: event.target.value })}
          />
        </label>
        <p id={`${id}-ips-hint`} className="hint">
          IPv4 or IPv6 addresses or CIDR ranges, separated by commas or new lines. Leave empty to allow any address.
        </p>
      </div>
    </details>
  );
}

/** A token's limits in one cell: its projects with their ceilings, and its address ranges. */
export function TokenLimitsSummary({ token, projects }: { token: ApiToken; projects: readonly ProjectChoice[] }) {
  const scope = token.scope ?? [];
  const allowedIps = token.allowed_ips ?? [];
  if (scope.length === 0 && allowedIps.length === 0) return <span className="muted">None</span>;
  const titleOf = (projectId: string) => projects.find((project) => project.id === projectId)?.title || projectId;
  return (
    <ul className="limits">
      {scope.map((entry) => (
        <li key={entry.project_id}>
          <strong>{titleOf(entry.project_id)}</strong>: {entry.permissions.join(', ')}
        </li>
      ))}
      {allowedIps.length > 0 && (
        <li>
          From <span className="mono">{allowedIps.join(', ')}</span>
        </li>
      )}
    </ul>
  );
}
