import type { VariableRow } from '../db/schema.js';
import { halLinks, segment } from '../http/hal.js';
import type { EnvironmentVariableBody, ProjectVariableBody } from './schemas.js';

function shared(row: VariableRow, self: string, canManage: boolean, deletable: boolean): ProjectVariableBody {
  return {
    id: row.name,
    name: row.name,
    // Sensitive: the key is absent (not null), as Platform.sh clients expect.
    ...(row.is_sensitive ? {} : { value: row.value }),
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    is_json: row.is_json === 1,
    is_sensitive: row.is_sensitive === 1,
    visible_build: row.visible_build === 1,
    visible_runtime: row.visible_runtime === 1,
    application_scope: JSON.parse(row.application_scope) as string[],
    created_at: row.created_at,
    updated_at: row.updated_at,
    _links: halLinks([
      ['self', self],
      ['#edit', self, 'PATCH', canManage],
      ['#delete', self, 'DELETE', canManage && deletable],
    ]),
  };
}

export function projectVariableUrl(baseUrl: string, projectId: string, name: string): string {
  return `${baseUrl}/projects/${segment(projectId)}/variables/${segment(name)}`;
}

export function presentProjectVariable(row: VariableRow, baseUrl: string, canManage: boolean): ProjectVariableBody {
  return shared(row, projectVariableUrl(baseUrl, row.project_id, row.name), canManage, true);
}

export function presentEnvironmentVariable(
  row: VariableRow,
  context: { baseUrl: string; projectId: string; environmentId: string; inherited: boolean; canManage: boolean },
): EnvironmentVariableBody {
  const self = `${context.baseUrl}/projects/${segment(context.projectId)}/environments/${segment(context.environmentId)}/variables/${segment(row.name)}`;
  return {
    ...shared(row, self, context.canManage, !context.inherited),
    project: context.projectId,
    environment: context.environmentId,
    inherited: context.inherited,
    is_enabled: row.is_enabled === 1,
    is_inheritable: row.is_inheritable === 1,
  };
}
