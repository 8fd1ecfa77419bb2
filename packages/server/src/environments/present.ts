import type { Environment, Project } from '../db/schema.js';
import { decideEnvironmentAction, type EnvironmentAction, type Grant } from '../access/policy.js';
import { halLinks, segment } from '../http/hal.js';
import type { EnvironmentBody } from './schemas.js';

export function environmentUrl(baseUrl: string, projectId: string, environmentId: string): string {
  return `${baseUrl}/projects/${segment(projectId)}/environments/${segment(environmentId)}`;
}

export function presentEnvironment(environment: Environment, project: Project, grant: Grant, baseUrl: string): EnvironmentBody {
  const self = environmentUrl(baseUrl, project.id, environment.id);
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
    has_code: environment.head_commit !== null,
    head_commit: environment.head_commit,
    deployment_target: 'local',
    attributes: {},
    last_active_at: null,
    last_backup_at: null,
    created_at: environment.created_at,
    updated_at: environment.updated_at,
    _links: halLinks([
      ['self', self],
      ['project', `${baseUrl}/projects/${segment(project.id)}`],
      ['activities', `${self}/activities`],
      ['backups', `${self}/backups`],
      ['variables', `${self}/variables`],
      ['#edit', self, 'PATCH', may('environment:manage')],
      ['#branch', `${self}/branch`, 'POST', active && may('environment:branch')],
      ['#activate', `${self}/activate`, 'POST', !active && may('environment:manage')],
      ['#deactivate', `${self}/deactivate`, 'POST', active && !isMain && may('environment:manage')],
      ['#backup', `${self}/backup`, 'POST', active && may('environment:backup')],
      ['#source-operation', `${self}/source-operation`, 'POST', active && may('environment:source-operation')],
      ['#manage-variables', `${self}/variables`, 'POST', may('environment:variables')],
    ]),
  };
}
