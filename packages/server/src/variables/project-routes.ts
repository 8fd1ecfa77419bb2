import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import type { VariableRow } from '../db/schema.js';
import type { DatabaseTransaction } from '../db/database.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { decideProjectAction } from '../access/policy.js';
import { projectScope } from '../access/route-requirements.js';
import { actorOf, type Actor } from '../audit/audit-log.js';
import { accepted, acceptedResponse, ProjectParams } from '../projects/schemas.js';
import { presentProjectVariable } from './present.js';
import { checkName } from './rules.js';
import { CreateProjectVariableBody, PatchProjectVariableBody, ProjectVariableParams, ProjectVariableSchema } from './schemas.js';
import { PROJECT_LEVEL } from './store.js';

export const projectVariableRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'audit' | 'config' | 'database' | 'variables'> }> = async (app, { services }) => {
  const { variables } = services;
  const { db } = services.database;
  const baseUrl = services.config.publicUrl;
  const tags = ['Project Variables'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  /** The scope the route's requirement resolved, and whether the caller may change variables (for links). */
  function context(request: FastifyRequest) {
    const { project, grant } = projectScope(request);
    return { project, canManage: decideProjectAction(grant, 'project-variables:manage').allowed, grant };
  }

  /** Call with the actor resolved before the transaction: inside it, SQLite has only the transaction's connection. */
  async function audit(actor: Actor, trx: DatabaseTransaction, action: string, row: VariableRow, changed?: string[]) {
    await services.audit.recordIn(trx, actor, {
      action,
      projectId: row.project_id,
      targetType: 'variable',
      targetId: row.name,
      details: { level: 'project', name: row.name, sensitive: row.is_sensitive === 1, ...(changed ? { changed } : {}) },
    });
    const verb = action.split('.')[1] ?? 'update';
    await services.activities.recordInstant(trx, actor, {
      projectId: row.project_id,
      environmentId: '',
      type: `project.variable.${verb}`,
      text: `${actor.email ?? 'Someone'} ${verb}d variable ${row.name} on the project`,
      payload: { variable: { name: row.name } },
    });
  }

  app.get(
    '/projects/:projectId/variables',
    { config: { requires: 'project-variables:view' }, schema: { operationId: 'list-projects-variables', tags, params: ProjectParams, response: { 200: Type.Array(ProjectVariableSchema), ...errors } } },
    async (request) => {
      const { project, canManage } = context(request);
      return (await variables.list(project.id, PROJECT_LEVEL)).map((row) => presentProjectVariable(row, baseUrl, canManage));
    },
  );

  app.post(
    '/projects/:projectId/variables',
    {
      config: { requires: 'project-variables:manage' },
      schema: { operationId: 'create-projects-variables', tags, params: ProjectParams, body: CreateProjectVariableBody, response: { 201: acceptedResponse(ProjectVariableSchema), ...errors } },
    },
    async (request, reply) => {
      const { project } = context(request);
      const { name, ...input } = request.body;
      checkName(name);
      const actor = await actorOf(services.audit, request);
      const row = await db.transaction().execute(async (trx) => {
        const created = await variables.create(trx, project.id, PROJECT_LEVEL, name, input);
        await audit(actor, trx, 'variable.create', created);
        return created;
      });
      return reply.status(201).send(accepted(201, presentProjectVariable(row, baseUrl, true)));
    },
  );

  app.get(
    '/projects/:projectId/variables/:projectVariableId',
    { config: { requires: 'project-variables:view' }, schema: { operationId: 'get-projects-variables', tags, params: ProjectVariableParams, response: { 200: ProjectVariableSchema, ...errors } } },
    async (request) => {
      const { project, canManage } = context(request);
      const row = await variables.find(project.id, PROJECT_LEVEL, request.params.projectVariableId);
      if (!row) throw new ApiError('not_found', `Variable not found: ${request.params.projectVariableId}`);
      return presentProjectVariable(row, baseUrl, canManage);
    },
  );

  app.patch(
    '/projects/:projectId/variables/:projectVariableId',
    {
      config: { requires: 'project-variables:manage' },
      schema: {
        operationId: 'update-projects-variables',
        tags,
        params: ProjectVariableParams,
        body: PatchProjectVariableBody,
        response: { 200: acceptedResponse(ProjectVariableSchema), ...errors },
      },
    },
    async (request) => {
      const { project } = context(request);
      const previous = await variables.find(project.id, PROJECT_LEVEL, request.params.projectVariableId);
      if (!previous) throw new ApiError('not_found', `Variable not found: ${request.params.projectVariableId}`);
      const actor = await actorOf(services.audit, request);
      const row = await db.transaction().execute(async (trx) => {
        const { row: updated, changed } = await variables.update(trx, previous, request.body);
        await audit(actor, trx, 'variable.update', updated, changed);
        return updated;
      });
      return accepted(200, presentProjectVariable(row, baseUrl, true));
    },
  );

  app.delete(
    '/projects/:projectId/variables/:projectVariableId',
    { config: { requires: 'project-variables:manage' }, schema: { operationId: 'delete-projects-variables', tags, params: ProjectVariableParams, response: { 200: acceptedResponse(ProjectVariableSchema), ...errors } } },
    async (request) => {
      const { project } = context(request);
      const row = await variables.find(project.id, PROJECT_LEVEL, request.params.projectVariableId);
      if (!row) throw new ApiError('not_found', `Variable not found: ${request.params.projectVariableId}`);
      const actor = await actorOf(services.audit, request);
      await db.transaction().execute(async (trx) => {
        await variables.delete(trx, row);
        await audit(actor, trx, 'variable.delete', row);
      });
      return accepted(200);
    },
  );
};
