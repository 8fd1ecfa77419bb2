import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { environmentScope } from '../access/route-requirements.js';
import { EnvironmentParams } from '../environments/schemas.js';
import { startActivity } from '../activities/start.js';
import { LongOperationResponse } from '../activities/schemas.js';
import { ensureRepository } from '../git/repositories.js';
import { AppConfigError, readAppConfig, sourceOperations } from '../git/app-config.js';
import { SOURCE_OPERATION_ACTIVITY } from './handler.js';
import { sealSourceOperationVariables } from './variables.js';

const SourceOperationSchema = Type.Object(
  { id: Type.String({ description: 'The operation name' }), operation: Type.String(), app: Type.String(), command: Type.String() },
  { title: 'EnvironmentSourceOperation' },
);
const VariableValue = Type.String({ maxLength: 10_000 });
const RunBody = Type.Object(
  {
    operation: Type.String({ minLength: 1, maxLength: 100 }),
    variables: Type.Optional(
      Type.Record(Type.String({ maxLength: 256 }), Type.Union([VariableValue, Type.Record(Type.String({ maxLength: 256 }), VariableValue)]), {
        description: 'Flat (`{"env:FILE": "x"}`) or by prefix as Platform.sh clients send it (`{"env": {"FILE": "x"}}`)',
      }),
    ),
  },
  { additionalProperties: false, title: 'EnvironmentSourceOperationInput' },
);

/** `{env: {FILE: "x"}}` → `{"env:FILE": "x"}`: one shape for the activity and its handler. */
function flattenVariables(variables: Record<string, string | Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value]] : Object.entries(value).map(([name, v]) => [`${key}:${name}`, v]))),
  );
}

export const sourceOperationRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'audit' | 'config' | 'database' | 'secrets' | 'vendor'> }> = async (app, { services }) => {
  const tags = ['Source Operations'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  async function definitions(projectId: string, defaultBranch: string, branch: string) {
    const repo = ensureRepository(services.config, projectId, defaultBranch);
    try {
      return sourceOperations(await readAppConfig(repo, branch, services.vendor.projectConfigDir));
    } catch (error) {
      if (error instanceof AppConfigError) throw new ApiError('invalid_request', error.message);
      throw error;
    }
  }

  app.get(
    '/projects/:projectId/environments/:environmentId/source-operations',
    { config: { requires: 'environment:view' }, schema: { operationId: 'list-projects-environments-source-operations', tags, params: EnvironmentParams, response: { 200: Type.Array(SourceOperationSchema), ...errors } } },
    async (request) => {
      const { project, environment } = environmentScope(request);
      return (await definitions(project.id, project.default_branch, environment.id)).map((o) => ({ id: o.operation, ...o }));
    },
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/source-operation',
    {
      config: { requires: 'environment:source-operation' },
      schema: {
        operationId: 'run-source-operation',
        tags,
        summary: 'Run a source operation from the branch’s config (an environment.source-operation activity)',
        params: EnvironmentParams,
        body: RunBody,
        response: { 202: LongOperationResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { project, environment } = environmentScope(request);
      const operations = await definitions(project.id, project.default_branch, environment.id);
      const definition = operations.find((o) => o.operation === request.body.operation);
      if (!definition) {
        throw new ApiError('not_found', `No source operation "${request.body.operation}" on ${environment.id}. Defined: ${operations.map((o) => o.operation).join(', ') || 'none'}.`);
      }
      const variables = flattenVariables(request.body.variables ?? {});
      const variableNames = Object.keys(variables);
      return startActivity(services, services.config.publicUrl, request, reply, async (trx, actor) => {
        const queued = await services.activities.enqueue(trx, actor, {
          projectId: project.id,
          environmentId: environment.id,
          type: SOURCE_OPERATION_ACTIVITY,
          text: `${actor.email ?? 'Someone'} ran source operation ${definition.operation} on ${environment.id}`,
          parameters: { operation: definition.operation, variables: variableNames },
          // Names only: every viewer of the environment reads the activity. The values go sealed to the run.
          payload: { operation: definition.operation, app: definition.app, variables: variableNames },
        });
        await sealSourceOperationVariables(services, trx, queued.id, variables);
        return {
          activity: queued,
          audit: { action: 'source_operation.run', projectId: project.id, targetType: 'environment', targetId: environment.id, details: { operation: definition.operation, variables: variableNames } },
        };
      });
    },
  );
};
