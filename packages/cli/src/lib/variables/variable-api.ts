import { apiFailure, expectData } from '../api-client.js';
import type {
  EnvironmentVariable,
  EnvironmentVariableCreateInput,
  EnvironmentVariablePatch,
  ProjectVariable,
  ProjectVariableCreateInput,
  ProjectVariablePatch,
} from '../api-types.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';

export type VariableLevel = 'project' | 'environment';
export type Variable = ProjectVariable | EnvironmentVariable;

/** Where a variable lives: the project, or one environment of it. */
export type VariableTarget = { level: 'project'; projectId: string } | { level: 'environment'; projectId: string; environmentId: string };

export function isEnvironmentVariable(variable: Variable): variable is EnvironmentVariable {
  return 'inherited' in variable;
}

export function levelOf(variable: Variable): VariableLevel {
  return isEnvironmentVariable(variable) ? 'environment' : 'project';
}

/** Sensitive values are write-only: the API leaves the `value` key out. */
export function isHidden(variable: Variable): boolean {
  return variable.is_sensitive && variable.value === undefined;
}

/**
 * The variable of that name at that level, or undefined. At environment level this includes one
 * inherited from a parent environment (`inherited: true`).
 */
export async function getVariable(ctx: Context, target: VariableTarget, name: string): Promise<Variable | undefined> {
  const api = ctx.api();
  const result =
    target.level === 'project'
      ? await api.GET('/projects/{projectId}/variables/{projectVariableId}', { params: { path: { projectId: target.projectId, projectVariableId: name } } })
      : await api.GET('/projects/{projectId}/environments/{environmentId}/variables/{variableId}', {
          params: { path: { projectId: target.projectId, environmentId: target.environmentId, variableId: name } },
        });
  if (result.response.status === 404) return undefined;
  return expectData<Variable>(result, ctx.loginHelp());
}

/** The project's variables, or an environment's own and inherited ones. */
export async function listVariables(ctx: Context, target: VariableTarget): Promise<Variable[]> {
  const api = ctx.api();
  if (target.level === 'project') {
    return expectData(await api.GET('/projects/{projectId}/variables', { params: { path: { projectId: target.projectId } } }), ctx.loginHelp());
  }
  const result = await api.GET('/projects/{projectId}/environments/{environmentId}/variables', {
    params: { path: { projectId: target.projectId, environmentId: target.environmentId } },
  });
  const body = expectData(result, ctx.loginHelp());
  // Without ?effective= the server answers with the plain list.
  return Array.isArray(body) ? body : [];
}

export type VariableCreateInput = ProjectVariableCreateInput & Partial<Pick<EnvironmentVariableCreateInput, 'is_enabled' | 'is_inheritable'>>;

export async function createVariable(ctx: Context, target: VariableTarget, input: VariableCreateInput): Promise<Variable> {
  const api = ctx.api();
  const result =
    target.level === 'project'
      ? await api.POST('/projects/{projectId}/variables', { params: { path: { projectId: target.projectId } }, body: withoutEnvironmentFields(input) })
      : await api.POST('/projects/{projectId}/environments/{environmentId}/variables', {
          params: { path: { projectId: target.projectId, environmentId: target.environmentId } },
          body: input,
        });
  return embeddedEntity(ctx, result);
}

export type VariablePatch = ProjectVariablePatch & EnvironmentVariablePatch;

export async function updateVariable(ctx: Context, target: VariableTarget, name: string, patch: VariablePatch): Promise<Variable> {
  const api = ctx.api();
  const result =
    target.level === 'project'
      ? await api.PATCH('/projects/{projectId}/variables/{projectVariableId}', {
          params: { path: { projectId: target.projectId, projectVariableId: name } },
          body: withoutEnvironmentFields(patch),
        })
      : await api.PATCH('/projects/{projectId}/environments/{environmentId}/variables/{variableId}', {
          params: { path: { projectId: target.projectId, environmentId: target.environmentId, variableId: name } },
          body: patch,
        });
  return embeddedEntity(ctx, result);
}

export async function deleteVariable(ctx: Context, target: VariableTarget, name: string): Promise<void> {
  const api = ctx.api();
  const result =
    target.level === 'project'
      ? await api.DELETE('/projects/{projectId}/variables/{projectVariableId}', { params: { path: { projectId: target.projectId, projectVariableId: name } } })
      : await api.DELETE('/projects/{projectId}/environments/{environmentId}/variables/{variableId}', {
          params: { path: { projectId: target.projectId, environmentId: target.environmentId, variableId: name } },
        });
  if (!result.response.ok) throw variableFailure(ctx, result.response, result.error);
}

interface MutationResult {
  data?: { _embedded?: { entity?: Variable } };
  error?: unknown;
  response: Response;
}

function embeddedEntity(ctx: Context, result: MutationResult): Variable {
  const entity = result.data?._embedded?.entity;
  if (result.response.ok && entity) return entity;
  throw variableFailure(ctx, result.response, result.error);
}

/**
 * The server's own words for a refused variable change (409 "The variable already exists: X",
 * 400 for a bad name or JSON): they are written for users, so shown as they are. The server never
 * echoes a value in them.
 */
function variableFailure(ctx: Context, response: Response, error: unknown): CliError {
  const message = typeof error === 'object' && error !== null && 'message' in error ? (error as { message: unknown }).message : undefined;
  if ((response.status === 400 || response.status === 409) && typeof message === 'string') return new CliError('generic', message);
  return apiFailure(response, error, ctx.loginHelp());
}

function withoutEnvironmentFields<T extends { is_enabled?: boolean; is_inheritable?: boolean }>(input: T): Omit<T, 'is_enabled' | 'is_inheritable'> {
  const { is_enabled: _enabled, is_inheritable: _inheritable, ...rest } = input;
  return rest;
}
