import type { paths } from '@pier/api';

/** Response shapes the commands work with, generated from the server's OpenAPI document. */
export type {
  AuditEntry,
  Environment,
  EnvironmentVariable,
  EnvironmentVariableCreateInput,
  InvitationRequest,
  Project,
  ProjectUserAccess,
  ProjectVariable,
  ProjectVariableCreateInput,
} from '@pier/api';

type PatchBody<Path extends keyof paths> = paths[Path] extends { patch: { requestBody?: { content: { 'application/json': infer Body } } } } ? Body : never;

export type ProjectVariablePatch = PatchBody<'/projects/{projectId}/variables/{projectVariableId}'>;
export type EnvironmentVariablePatch = PatchBody<'/projects/{projectId}/environments/{environmentId}/variables/{variableId}'>;

type GetBody<Path extends keyof paths> = paths[Path] extends { get: { responses: { 200: { content: { 'application/json': infer Body } } } } } ? Body : never;

/** A cron of an environment's deployed code (`GET …/environments/{environmentId}/crons`). */
export type EnvironmentCron = GetBody<'/projects/{projectId}/environments/{environmentId}/crons'>[number];
