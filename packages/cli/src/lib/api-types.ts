import type { paths } from '@pier/api';

/**
 * Response shapes the commands work with, taken from the generated OpenAPI types so that they
 * cannot drift from the server. (`@pier/api` exports only the auth shapes so far.)
 */
type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type Project = Json<paths['/projects/{projectId}']['get']['responses'][200]>;
export type Environment = Json<paths['/projects/{projectId}/environments/{environmentId}']['get']['responses'][200]>;
export type EnvironmentTypeId = Environment['type'];
export type ProjectUserAccess = Json<paths['/projects/{project_id}/user-access']['get']['responses'][200]>['items'][number];
export type InvitationRequest = NonNullable<paths['/projects/{project_id}/invitations']['post']['requestBody']>['content']['application/json'];
export type AuditEntry = Json<paths['/projects/{project_id}/audit']['get']['responses'][200]>[number];
