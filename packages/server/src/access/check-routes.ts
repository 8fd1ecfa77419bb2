import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { loadProjectAccess } from './grants.js';
import { decideEnvironmentAction, decideInstanceAction, decideProjectAction, environmentActions, projectActions, type Decision, type EnvironmentAction, type ProjectAction } from './policy.js';
import { TokenScopeSchema, tokenScopeToBody } from './token-scope.js';

const instanceActions = { 'project:create': 'create projects', 'user:deactivate': 'deactivate users' } as const;
type InstanceAction = keyof typeof instanceActions;
const actionNames = [...Object.keys(instanceActions), ...Object.keys(projectActions), ...Object.keys(environmentActions)];

const CheckQuery = Type.Object(
  {
    action: Type.Union(
      actionNames.map((name) => Type.Literal(name)),
      { description: 'What the caller wants to do, in the policy\'s words (environment:backup, project:edit, …).' },
    ),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    environment: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'An environment id or machine name (environment actions).' })),
  },
  { additionalProperties: false },
);

const CheckResult = Type.Object(
  {
    allowed: Type.Boolean(),
    action: Type.String(),
    project_id: Type.Union([Type.String(), Type.Null()]),
    environment_id: Type.Union([Type.String(), Type.Null()]),
    environment_type: Type.Union([Type.String(), Type.Null()]),
    missing_permission: Type.Union([Type.String(), Type.Null()], { description: 'What would allow it (e.g. development:contributor, or "token scope …" when the credential\'s scope stops it).' }),
    message: Type.Union([Type.String(), Type.Null()]),
    credential: Type.Object({
      via: Type.Union([Type.Literal('access_token'), Type.Literal('session')]),
      api_token_id: Type.Union([Type.String(), Type.Null()]),
      trust_policy_id: Type.Union([Type.String(), Type.Null()]),
      scope: Type.Union([TokenScopeSchema, Type.Null()]),
    }),
  },
  { title: 'PermissionCheck' },
);

/**
 * "May this credential do this, and if not, what is missing?" without trying it: the same policy
 * decision the action's route would make, for CI jobs to check before they start.
 */
export const permissionCheckRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'environments' | 'projectAccess' | 'projects' | 'users'> }> = async (app, { services }) => {
  app.get(
    '/auth/check',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'check-permission',
        tags: ['Access'],
        summary: 'Whether the caller may do an action (in a project or environment), and what is missing if not',
        querystring: CheckQuery,
        response: { 200: CheckResult, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { action } = request.query;
      const credential = {
        via: principal.via,
        api_token_id: principal.apiTokenId,
        trust_policy_id: principal.trustPolicyId,
        scope: principal.scope ? tokenScopeToBody(principal.scope) : null,
      };
      const answer = (decision: Decision, where: { project?: string; environment?: string; type?: string } = {}) => ({
        allowed: decision.allowed,
        action,
        project_id: where.project ?? null,
        environment_id: where.environment ?? null,
        environment_type: where.type ?? null,
        missing_permission: decision.allowed ? null : decision.missing,
        message: decision.allowed ? null : decision.message,
        credential,
      });

      if (action in instanceActions) {
        const user = await services.users.findById(principal.userId);
        return answer(decideInstanceAction(user?.is_admin === 1, principal.scope !== null, instanceActions[action as InstanceAction]));
      }
      const projectId = request.query.project;
      if (!projectId) throw new ApiError('invalid_request', `The action ${action} needs a project.`, { field: 'project' });
      let access;
      try {
        access = await loadProjectAccess(services, principal, projectId);
      } catch (error) {
        // A scope that leaves the project out is an answer, not an error.
        if (error instanceof ApiError && error.code === 'forbidden') {
          return answer({ allowed: false, missing: String(error.detail.missing_permission ?? 'token scope'), message: error.message }, { project: projectId });
        }
        throw error;
      }
      const { project, grant } = access;
      if (action in projectActions) return answer(decideProjectAction(grant, action as ProjectAction), { project: project.id });
      const environmentName = request.query.environment;
      if (!environmentName) throw new ApiError('invalid_request', `The action ${action} needs an environment.`, { field: 'environment' });
      const environment = await services.environments.find(project.id, environmentName);
      if (!environment) throw new ApiError('not_found', 'Environment not found.');
      return answer(decideEnvironmentAction(grant, action as EnvironmentAction, environment.type), {
        project: project.id,
        environment: environment.id,
        type: environment.type,
      });
    },
  );
};
