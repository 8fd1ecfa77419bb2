import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import type { Environment } from '../db/schema.js';
import type { DatabaseExecutor } from '../db/database.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { halLinks, segment } from '../http/hal.js';
import { environmentTypes } from '@pier/api/vocabulary';
import { decideEnvironmentAction } from '../access/policy.js';
import { requireEnvironmentAction } from '../access/grants.js';
import { environmentScope, projectScope } from '../access/route-requirements.js';
import { actorOf } from '../audit/audit-log.js';
import { accepted, acceptedResponse, ProjectParams } from '../projects/schemas.js';
import { BranchBody, EnvironmentParams, EnvironmentSchema, EnvironmentSettingsSchema, EnvironmentTypeParams, EnvironmentTypeSchema, UpdateEnvironmentBody } from './schemas.js';
import { environmentUrl, presentEnvironment } from './present.js';
import { projectContext } from '../projects/present.js';
import { checkBranchName } from './branch-names.js';

export const environmentRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'audit' | 'config' | 'database' | 'environments' | 'secrets' | 'vendor'> }> = async (app, { services }) => {
  const { db } = services.database;
  const baseUrl = services.config.publicUrl;
  const context = projectContext(services);
  const tags = ['Environments'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  app.get(
    '/projects/:projectId/environments',
    { config: { requires: 'project:view' }, schema: { operationId: 'list-projects-environments', tags, params: ProjectParams, response: { 200: Type.Array(EnvironmentSchema), ...errors } } },
    async (request) => {
      const { project, grant } = projectScope(request);
      const environments = await services.environments.list(project.id);
      return environments
        .filter((e) => decideEnvironmentAction(grant, 'environment:view', e.type).allowed)
        .map((e) => presentEnvironment(e, project, grant, context));
    },
  );

  app.get(
    '/projects/:projectId/environments/:environmentId',
    { config: { requires: 'environment:view' }, schema: { operationId: 'get-environment', tags, params: EnvironmentParams, response: { 200: EnvironmentSchema, ...errors } } },
    async (request) => {
      const { project, grant, environment } = environmentScope(request);
      return presentEnvironment(environment, project, grant, context);
    },
  );

  app.get(
    '/projects/:projectId/environments/:environmentId/settings',
    {
      config: { requires: 'environment:view' },
      schema: {
        operationId: 'get-environment-settings',
        tags,
        summary: 'Deployment settings (read-only: Pier always deploys automatically)',
        params: EnvironmentParams,
        response: { 200: EnvironmentSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const { project, environment } = environmentScope(request);
      return { enable_manual_deployments: false, _links: halLinks([['self', `${environmentUrl(baseUrl, project.id, environment.id)}/settings`]]) };
    },
  );

  app.patch(
    '/projects/:projectId/environments/:environmentId',
    {
      config: { requires: 'environment:manage' },
      schema: {
        operationId: 'update-environment',
        tags,
        params: EnvironmentParams,
        body: UpdateEnvironmentBody,
        response: { 200: acceptedResponse(EnvironmentSchema), ...errors },
      },
    },
    async (request) => {
      const { project, grant, environment } = environmentScope(request);
      const title = request.body.title.trim();
      await mutate(request, environment, 'environment.update', { title }, (trx) => services.environments.update(trx, environment, { title }));
      return accepted(200, presentEnvironment({ ...environment, title }, project, grant, context));
    },
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/branch',
    {
      config: { requires: 'environment:branch' },
      schema: {
        operationId: 'branch-environment',
        tags,
        summary: 'Create a child environment (type development unless staging is asked for)',
        params: EnvironmentParams,
        body: BranchBody,
        response: { 201: acceptedResponse(EnvironmentSchema), ...errors },
      },
    },
    async (request, reply) => {
      const { project, grant, environment: parent } = environmentScope(request);
      const input = { name: request.body.name, title: request.body.title ?? request.body.name, type: request.body.type ?? 'development' };
      // Branching creates an environment of its own type, so that type needs contributor too.
      requireEnvironmentAction(grant, 'environment:branch', input.type);
      if (parent.status !== 'active') throw new ApiError('invalid_request', 'Only an active environment can be branched.');
      checkBranchName(request.body.name, 'name');
      const actor = await actorOf(services.audit, request);
      const child = await db.transaction().execute(async (trx) => {
        const created = await services.environments.createChild(trx, parent, input);
        await services.audit.recordIn(trx, actor, {
          action: 'environment.branch',
          projectId: project.id,
          targetType: 'environment',
          targetId: created.id,
          details: { parent: parent.id, type: created.type },
        });
        return created;
      });
      await services.database.changes.publish('environment', project.id);
      return reply.status(201).send(accepted(201, presentEnvironment(child, project, grant, context)));
    },
  );

  for (const [action, status] of [
    ['activate', 'active'],
    ['deactivate', 'inactive'],
  ] as const) {
    app.post(
      `/projects/:projectId/environments/:environmentId/${action}`,
      {
        config: { requires: 'environment:manage' },
        schema: {
          operationId: `${action}-environment`,
          tags,
          params: EnvironmentParams,
          response: { 200: acceptedResponse(EnvironmentSchema), ...errors },
        },
      },
      async (request) => {
        const { project, grant, environment } = environmentScope(request);
          if (action === 'deactivate' && environment.id === project.default_branch) {
          throw new ApiError('invalid_request', 'The default environment cannot be deactivated.');
        }
        if (environment.status === status) throw new ApiError('invalid_request', `The environment is already ${status}.`);
        await mutate(request, environment, `environment.${action}`, {}, (trx) => services.environments.update(trx, environment, { status }));
        if (action === 'deactivate') await stopCrons(project.id, environment.id);
        return accepted(200, presentEnvironment({ ...environment, status }, project, grant, context));
      },
    );
  }

  app.get(
    '/projects/:projectId/environment-types',
    { config: { requires: 'project:view' }, schema: { operationId: 'list-projects-environment-types', tags, params: ProjectParams, response: { 200: Type.Array(EnvironmentTypeSchema), ...errors } } },
    async (request) => {
      const { project } = projectScope(request);
      return environmentTypes.map((type) => presentType(project.id, type));
    },
  );

  app.get(
    '/projects/:projectId/environment-types/:environmentTypeId',
    { config: { requires: 'project:view' }, schema: { operationId: 'get-environment-type', tags, params: EnvironmentTypeParams, response: { 200: EnvironmentTypeSchema, ...errors } } },
    async (request) => {
      const { project } = projectScope(request);
      const type = environmentTypes.find((t) => t === request.params.environmentTypeId);
      if (!type) throw new ApiError('not_found', `Unknown environment type: ${request.params.environmentTypeId}`);
      return presentType(project.id, type);
    },
  );

  /** Deactivating an environment stops its crons: queued runs are cancelled, running ones asked to stop. */
  async function stopCrons(projectId: string, environmentId: string): Promise<void> {
    const running = await services.activities.list({ projectId, environmentId, types: ['environment.cron'], states: ['pending', 'in_progress'], count: 1000 });
    for (const activity of running) {
      await services.activities.requestCancel(activity.id);
      await services.database.changes.publish('activity_cancel', activity.id);
    }
  }

  function presentType(projectId: string, type: (typeof environmentTypes)[number]) {
    return { id: type, attributes: {}, _links: halLinks([['self', `${baseUrl}/projects/${segment(projectId)}/environment-types/${type}`]]) };
  }

  async function mutate(
    request: FastifyRequest,
    environment: Environment,
    action: string,
    details: Record<string, unknown>,
    change: (trx: DatabaseExecutor) => Promise<void>,
  ): Promise<void> {
    const actor = await actorOf(services.audit, request);
    await db.transaction().execute(async (trx) => {
      await change(trx);
      await services.audit.recordIn(trx, actor, { action, projectId: environment.project_id, targetType: 'environment', targetId: environment.id, details });
    });
  }

};
