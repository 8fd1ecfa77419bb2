import type { Project } from '../db/schema.js';
import { decideProjectAction, decideProjectDeletion, type Grant } from '../access/policy.js';
import { halLinks, segment } from '../http/hal.js';
import type { ProjectBody } from './schemas.js';

export function presentProject(project: Project, grant: Grant, baseUrl: string): ProjectBody {
  const self = `${baseUrl}/projects/${segment(project.id)}`;
  const may = (action: Parameters<typeof decideProjectAction>[1]) => decideProjectAction(grant, action).allowed;
  return {
    id: project.id,
    title: project.title,
    description: '',
    owner: project.owner_id,
    namespace: 'pier',
    organization: null,
    default_branch: project.default_branch,
    status: { code: 'provisioned', message: 'ok' },
    timezone: 'UTC',
    region: 'local',
    default_domain: null,
    attributes: {},
    created_at: project.created_at,
    updated_at: project.updated_at,
    _links: halLinks([
      ['self', self],
      ['environments', `${self}/environments`],
      ['environment-types', `${self}/environment-types`],
      ['access', `${self}/user-access`],
      ['invitations', `${self}/invitations`, undefined, may('access:manage')],
      ['audit', `${self}/audit`, undefined, may('audit:view')],
      ['#edit', self, 'PATCH', may('project:edit')],
      ['#delete', self, 'DELETE', decideProjectDeletion(grant).allowed],
      ['#manage-access', `${self}/user-access`, 'POST', may('access:manage')],
    ]),
  };
}
