import type { Project } from '../db/schema.js';
import type { Services } from '../services.js';
import { decideProjectAction, decideProjectDeletion, type Grant } from '../access/policy.js';
import { halLinks, segment } from '../http/hal.js';
import { instanceOrganizationId } from '../organizations/instance-organization.js';
import { projectGitUrl, type SshEndpoint } from '../environments/ssh-url.js';
import type { ProjectBody } from './schemas.js';

/** What every project representation needs beyond the row: computed once per route plugin. */
export interface ProjectContext {
  readonly baseUrl: string;
  readonly organizationId: string;
  readonly vendor: string;
  readonly ssh: SshEndpoint;
}

export function projectContext(services: Pick<Services, 'config' | 'secrets' | 'vendor'>): ProjectContext {
  return {
    baseUrl: services.config.publicUrl,
    organizationId: instanceOrganizationId(services.secrets.tokenHmacKey),
    vendor: services.vendor.projectVendor,
    ssh: services.config.ssh,
  };
}

export function presentProject(project: Project, grant: Grant, context: ProjectContext): ProjectBody {
  const self = `${context.baseUrl}/projects/${segment(project.id)}`;
  const may = (action: Parameters<typeof decideProjectAction>[1]) => decideProjectAction(grant, action).allowed;
  return {
    id: project.id,
    title: project.title,
    description: '',
    owner: project.owner_id,
    namespace: 'pier',
    organization: context.organizationId,
    vendor: context.vendor,
    default_branch: project.default_branch,
    status: { code: 'provisioned', message: 'ok' },
    timezone: 'UTC',
    region: 'local',
    repository: { url: projectGitUrl(project.id, context.ssh), client_ssh_key: null },
    default_domain: null,
    // Pier has no plans or licences; the fields are there because clients read them.
    subscription: { license_uri: '', storage: 0, included_users: 0, subscription_management_uri: '', restricted: false, suspended: false, user_licenses: 0 },
    maintenance: null,
    attributes: {},
    created_at: project.created_at,
    updated_at: project.updated_at,
    _links: halLinks([
      ['self', self],
      ['environments', `${self}/environments`],
      ['environment-types', `${self}/environment-types`],
      // `access` is the legacy role list; `user-access` the centralized one the CLI uses by default.
      ['access', `${self}/access`],
      ['user-access', `${self}/user-access`],
      ['variables', `${self}/variables`],
      ['activities', `${self}/activities`],
      ['invitations', `${self}/invitations`, undefined, may('access:manage')],
      ['audit', `${self}/audit`, undefined, may('audit:view')],
      ['#edit', self, 'PATCH', may('project:edit')],
      ['#delete', self, 'DELETE', decideProjectDeletion(grant).allowed],
      ['#manage-access', `${self}/user-access`, 'POST', may('access:manage')],
      ['#manage-variables', `${self}/variables`, 'POST', may('project-variables:manage')],
    ]),
  };
}
