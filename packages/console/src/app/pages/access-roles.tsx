import { useId } from 'react';
import { environmentRoles, environmentTypes, isEnvironmentRole, isEnvironmentType, permissionStrings, projectRoles, type EnvironmentRole, type EnvironmentType, type ProjectRole } from '@pier/api';

export { environmentTypes };
export type { ProjectRole };
/** A role on one environment type; '' is no access. */
export type TypeRole = EnvironmentRole | '';

const projectRoleLabels: Record<ProjectRole, string> = { viewer: 'Viewer', admin: 'Admin (admin of every environment)' };
const environmentRoleLabels: Record<EnvironmentRole, string> = { viewer: 'Viewer', contributor: 'Contributor', admin: 'Admin' };

/** The roles a user has on a project, as the access form edits them. */
export interface RoleChoice {
  role: ProjectRole;
  types: Record<EnvironmentType, TypeRole>;
}

export const noTypeRoles = (): Record<EnvironmentType, TypeRole> => Object.fromEntries(environmentTypes.map((type) => [type, ''])) as Record<EnvironmentType, TypeRole>;

/** Platform.sh permission strings (`viewer`, `development:contributor`) → form choice. */
export function choiceFromPermissions(permissions: readonly string[]): RoleChoice {
  const choice: RoleChoice = { role: permissions.includes('admin') ? 'admin' : 'viewer', types: noTypeRoles() };
  for (const permission of permissions) {
    const [type, role] = permission.split(':');
    if (type && role && isEnvironmentType(type) && isEnvironmentRole(role)) choice.types[type] = role;
  }
  return choice;
}

export function permissionsFromChoice(choice: RoleChoice): string[] {
  return permissionStrings(choice.role, choice.types);
}

/** The form choice → an invitation's roles per type (`{ type, role }`; none for a project admin). */
export function typePermissionsFromChoice(choice: RoleChoice): { type: EnvironmentType; role: EnvironmentRole }[] {
  if (choice.role === 'admin') return [];
  return environmentTypes.flatMap((type) => {
    const role = choice.types[type];
    return role ? [{ type, role }] : [];
  });
}

export function describeType(choice: RoleChoice, type: EnvironmentType): string {
  if (choice.role === 'admin') return 'admin';
  return choice.types[type] || 'no access';
}

/** Project role plus one role per environment type; a project admin is admin everywhere. */
export function RoleFields({ choice, onChange, legend = 'Roles' }: { choice: RoleChoice; onChange: (choice: RoleChoice) => void; legend?: string }) {
  const id = useId();
  return (
    <fieldset className="roles">
      <legend>{legend}</legend>
      <label htmlFor={`${id}-project`}>Project role</label>
      <select id={`${id}-project`} value={choice.role} onChange={(e) => onChange({ ...choice, role: e.target.value as ProjectRole })}>
        {projectRoles.map((role) => (
          <option key={role} value={role}>
            {projectRoleLabels[role]}
          </option>
        ))}
      </select>
      {environmentTypes.map((type) => (
        <div key={type} className="role-row">
          <label htmlFor={`${id}-${type}`}>
            Role on <span className="cap">{type}</span> environments
          </label>
          <select
            id={`${id}-${type}`}
            value={choice.role === 'admin' ? 'admin' : choice.types[type]}
            disabled={choice.role === 'admin'}
            onChange={(e) => onChange({ ...choice, types: { ...choice.types, [type]: e.target.value as TypeRole } })}
          >
            <option value="">No access</option>
            {environmentRoles.map((role) => (
              <option key={role} value={role}>
                {environmentRoleLabels[role]}
              </option>
            ))}
          </select>
        </div>
      ))}
    </fieldset>
  );
}
