import type { Project, ProjectUserAccess } from '../api-types.js';
import { rolesFromPermissions } from './roles.js';

/** The columns of user:list and the properties of user:get (Platform.sh names). */
export const memberColumns = ['email', 'name', 'role', 'id', 'permissions', 'granted_at', 'updated_at'] as const;
export const memberDateColumns = ['granted_at', 'updated_at'];

export function memberRow(project: Project, member: ProjectUserAccess): Record<(typeof memberColumns)[number], unknown> {
  const name = [member.user.first_name, member.user.last_name].filter(Boolean).join(' ') || member.user.username;
  const owner = member.user_id === project.owner;
  return {
    email: member.user.email,
    name,
    role: `${rolesFromPermissions(member.permissions).projectRole}${owner ? ' (owner)' : ''}`,
    id: member.user_id,
    permissions: member.permissions.join(', '),
    granted_at: member.granted_at,
    updated_at: member.updated_at,
  };
}
