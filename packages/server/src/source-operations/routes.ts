import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { loadProjectAccess, requireEnvironmentAction } from '../access/grants.js';
import { actorOf, recordAudit } from '../audit/audit-log.js';
import { EnvironmentParams } from '../environments/schemas.js';
import { requireEnvironment } from '../environments/store.js';
import { presentActivity } from '../activities/present.js';
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

export const sourceOperationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { db } = services.database;
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
    { schema: { operationId: 'list-projects-environments-source-operations', tags, params: EnvironmentParams, response: { 200: Type.Array(SourceOperationSchema), ...errors } } },
    async (request) => {
      const { project, grant } = await loadProjectAccess(db, principalOf(request), request.params.projectId);
      const environment = await requireEnvironment(db, project.id, request.params.environmentId);
      requireEnvironmentAction(grant, 'environment:view', environment.type);
      return (await definitions(project.id, project.default_branch, environment.id)).map((o) => ({ id: o.operation, ...o }));
    },
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/source-operation',
    {
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
      const { project, grant } = await loadProjectAccess(db, principalOf(request), request.params.projectId);
      const environment = await requireEnvironment(db, project.id, request.params.environmentId);
      requireEnvironmentAction(grant, 'environment:source-operation', environment.type);
      const operations = await definitions(project.id, project.default_branch, environment.id);
      const definition = operations.find((o) => o.operation === request.body.operation);
      if (!definition) {
        throw new ApiError('not_found', `No source operation "${request.body.operation}" on ${environment.id}. Defined: ${operations.map((o) => o.operation).join(', ') || 'none'}.`);
      }
      const actor = await actorOf(db, request);
      const variables = flattenVariables(request.body.variables ?? {});
      const variableNames = Object.keys(variables);
      const activity = await db.transaction().execute(async (trx) => {
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
        await recordAudit(trx, actor, { action: 'source_operation.run', projectId: project.id, targetType: 'environment', targetId: environment.id, details: { operation: definition.operation, variables: variableNames } });
        return queued;
      });
      await services.database.changes.publish('activity', 'queued');
      return reply.status(202).send({ status: 'Accepted', code: 202, _embedded: { activities: [presentActivity(activity, services.config.publicUrl, true)] } });
    },
  );
};
