import type { Environment, Project } from '../db/schema.js';
import { decideEnvironmentAction, type EnvironmentAction, type Grant } from '../access/policy.js';
import { halLinks, segment } from '../http/hal.js';
import type { ProjectContext } from '../projects/present.js';
import { environmentSshUrl } from './ssh-url.js';
import type { EnvironmentBody } from './schemas.js';

export function environmentUrl(baseUrl: string, projectId: string, environmentId: string): string {
  return `${baseUrl}/projects/${segment(projectId)}/environments/${segment(environmentId)}`;
}

export function presentEnvironment(environment: Environment, project: Project, grant: Grant, context: ProjectContext): EnvironmentBody {
  const self = environmentUrl(context.baseUrl, project.id, environment.id);
  const may = (action: EnvironmentAction) => decideEnvironmentAction(grant, action, environment.type).allowed;
  const active = environment.status === 'active';
  const isMain = environment.id === project.default_branch;
  return {
    id: environment.id,
    name: environment.id,
    machine_name: environment.machine_name,
    title: environment.title,
    type: environment.type,
    parent: environment.parent,
    status: environment.status,
    project: project.id,
    is_main: isMain,
    is_dirty: false,
    is_pr: false,
    has_code: environment.head_commit !== null,
    has_deployment: active && environment.head_commit !== null,
    has_remote: false,
    has_domains: false,
    has_staged_activities: false,
    head_commit: environment.head_commit,
    clone_parent_on_create: true,
    deployment_target: 'local',
    deployment_state: null,
    default_domain: null,
    edge_hostname: '',
    http_access: { is_enabled: false, addresses: [], basic_auth: {} },
    enable_smtp: false,
    restrict_robots: true,
    supports_restrict_robots: false,
    can_rolling_deploy: false,
    supports_rolling_deployments: false,
    sizing: null,
    resources_overrides: {},
    max_instance_count: null,
    merge_info: { commits_ahead: null, commits_behind: null, parent_ref: null },
    attributes: {},
    last_active_at: null,
    last_backup_at: null,
    created_at: environment.created_at,
    updated_at: environment.updated_at,
    _links: halLinks([
      ['self', self],
      ['project', `${context.baseUrl}/projects/${segment(project.id)}`],
      ['activities', `${self}/activities`],
      ['backups', `${self}/backups`],
      ['variables', `${self}/variables`],
      ['settings', `${self}/settings`],
      ['ssh', environmentSshUrl(project.id, environment.machine_name, context.ssh), undefined, active && may('environment:ssh')],
      ['#edit', self, 'PATCH', may('environment:manage')],
      ['#branch', `${self}/branch`, 'POST', active && may('environment:branch')],
      ['#activate', `${self}/activate`, 'POST', !active && may('environment:manage')],
      ['#deactivate', `${self}/deactivate`, 'POST', active && !isMain && may('environment:manage')],
      ['#redeploy', `${self}/redeploy`, 'POST', active && may('environment:manage')],
      ['#backup', `${self}/backup`, 'POST', active && may('environment:backup')],
      ['#source-operations', `${self}/source-operations`],
      ['#source-operation', `${self}/source-operation`, 'POST', active && may('environment:source-operation')],
      // Platform.sh clients list and read variables through #variables, and create through #manage-variables.
      ['#variables', `${self}/variables`],
      ['#manage-variables', `${self}/variables`, 'POST', may('environment:variables')],
    ]),
  };
}
