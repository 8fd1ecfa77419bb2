import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import type { Environment, Project, VariableRow } from '../db/schema.js';
import type { DatabaseTransaction } from '../db/database.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { decideEnvironmentAction } from '../access/policy.js';
import { requireEnvironmentAction } from '../access/grants.js';
import { environmentScope } from '../access/route-requirements.js';
import { actorOf, type Actor } from '../audit/audit-log.js';
import { accepted, acceptedResponse } from '../projects/schemas.js';
import { EnvironmentParams } from '../environments/schemas.js';
import { ancestry, effectiveVariables, type EffectiveVariable } from './effective.js';
import { renderEnvironment } from './render.js';
import { presentEnvironmentVariable } from './present.js';
import { checkName } from './rules.js';
import { CreateEnvironmentVariableBody, EffectiveQuery, EffectiveVariablesSchema, EnvironmentVariableParams, EnvironmentVariableSchema, PatchEnvironmentVariableBody } from './schemas.js';
import { PROJECT_LEVEL } from './store.js';

export const HIDDEN = '[Hidden: sensitive value]';

export const environmentVariableRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'audit' | 'config' | 'database' | 'environments' | 'variables' | 'vendor'> }> = async (app, { services }) => {
  const { variables } = services;
  const { db } = services.database;
  const baseUrl = services.config.publicUrl;
  const tags = ['Environment Variables'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  /** The scope the route's requirement resolved, and whether the caller may change variables here (for links). */
  function context(request: FastifyRequest) {
    const { project, grant, environment } = environmentScope(request);
    const canManage = decideEnvironmentAction(grant, 'environment:variables', environment.type).allowed;
    return { project, grant, environment, canManage };
  }

  /** The environment's own rows and what it inherits from ancestor environments. */
  async function resolve(project: Project, environment: Environment) {
    const [projectRows, byEnvironment, environments] = await Promise.all([
      variables.list(project.id, PROJECT_LEVEL),
      variables.environmentRows(project.id),
      services.environments.list(project.id),
    ]);
    const effective = effectiveVariables(projectRows, ancestry(environments, environment.id), byEnvironment);
    const own = byEnvironment.get(environment.id) ?? [];
    const ownNames = new Set(own.map((r) => r.name));
    const inherited = effective.filter((v) => v.level === 'environment' && v.inherited && !ownNames.has(v.row.name));
    return { own, inherited, effective };
  }

  const present = (row: VariableRow, project: Project, environment: Environment, inherited: boolean, canManage: boolean) =>
    presentEnvironmentVariable(row, { baseUrl, projectId: project.id, environmentId: environment.id, inherited, canManage });

  /** Call with the actor resolved before the transaction: inside it, SQLite has only the transaction's connection. */
  async function audit(actor: Actor, trx: DatabaseTransaction, action: string, row: VariableRow, changed?: string[]) {
    await services.audit.recordIn(trx, actor, {
      action,
      projectId: row.project_id,
      targetType: 'variable',
      targetId: row.name,
      details: { level: 'environment', environment: row.environment_id, name: row.name, sensitive: row.is_sensitive === 1, ...(changed ? { changed } : {}) },
    });
    const verb = action === 'variable.override' ? 'update' : (action.split('.')[1] ?? 'update');
    await services.activities.recordInstant(trx, actor, {
      projectId: row.project_id,
      environmentId: row.environment_id,
      type: `environment.variable.${verb}`,
      text: `${actor.email ?? 'Someone'} ${verb}d variable ${row.name} on ${row.environment_id}`,
      payload: { variable: { name: row.name } },
    });
  }

  app.get(
    '/projects/:projectId/environments/:environmentId/variables',
    {
      config: { requires: 'environment:view' },
      schema: {
        operationId: 'list-projects-environments-variables',
        tags,
        summary: 'Own and inherited variables; with ?effective=build|runtime the resolved set (admins)',
        params: EnvironmentParams,
        querystring: EffectiveQuery,
        response: { 200: Type.Union([Type.Array(EnvironmentVariableSchema), EffectiveVariablesSchema]), ...errors },
      },
    },
    async (request) => {
      const { project, grant, environment, canManage } = context(request);
      const { own, inherited, effective } = await resolve(project, environment);
      const phase = request.query.effective;
      if (phase) {
        requireEnvironmentAction(grant, 'environment:variables', environment.type);
        return effectiveView(effective, phase);
      }
      return [
        ...own.map((row) => present(row, project, environment, false, canManage)),
        ...inherited.map((v) => present(v.row, project, environment, true, canManage)),
      ].sort((a, b) => a.name.localeCompare(b.name));
    },
  );

  function effectiveView(effective: EffectiveVariable[], phase: 'build' | 'runtime') {
    const masked = (v: EffectiveVariable) => (v.row.is_sensitive ? HIDDEN : v.row.value);
    // Rendering decodes JSON values; masked sensitive values are plain text, never JSON.
    const renderable = effective.map((v) => (v.row.is_sensitive ? { ...v, row: { ...v.row, is_json: 0 as const } } : v));
    return {
      phase,
      variables: effective
        .filter((v) => (phase === 'build' ? v.row.visible_build : v.row.visible_runtime) === 1)
        .map((v) => ({
          name: v.row.name,
          ...(v.row.is_sensitive ? {} : { value: v.row.value }),
          is_sensitive: v.row.is_sensitive === 1,
          is_json: v.row.is_json === 1,
          level: v.level,
          inherited: v.inherited,
          source_environment: v.level === 'environment' ? v.row.environment_id : null,
        })),
      environment: renderEnvironment(renderable, phase, services.vendor.runtimeEnvPrefix, masked),
    };
  }

  app.post(
    '/projects/:projectId/environments/:environmentId/variables',
    {
      config: { requires: 'environment:variables' },
      schema: {
        operationId: 'create-projects-environments-variables',
        tags,
        params: EnvironmentParams,
        body: CreateEnvironmentVariableBody,
        response: { 201: acceptedResponse(EnvironmentVariableSchema), ...errors },
      },
    },
    async (request, reply) => {
      const { project, environment } = context(request);
      const { name, ...input } = request.body;
      checkName(name);
      const actor = await actorOf(services.audit, request);
      const row = await db.transaction().execute(async (trx) => {
        const created = await variables.create(trx, project.id, environment.id, name, input);
        await audit(actor, trx, 'variable.create', created);
        return created;
      });
      return reply.status(201).send(accepted(201, present(row, project, environment, false, true)));
    },
  );

  /** An own variable, or one inherited from an ancestor environment. */
  async function findVariable(project: Project, environment: Environment, name: string) {
    const own = await variables.find(project.id, environment.id, name);
    if (own) return { row: own, inherited: false };
    const { inherited } = await resolve(project, environment);
    const found = inherited.find((v) => v.row.name === name);
    if (!found) throw new ApiError('not_found', `Variable not found: ${name}`);
    return { row: found.row, inherited: true };
  }

  app.get(
    '/projects/:projectId/environments/:environmentId/variables/:variableId',
    {
      config: { requires: 'environment:view' },
      schema: { operationId: 'get-projects-environments-variables', tags, params: EnvironmentVariableParams, response: { 200: EnvironmentVariableSchema, ...errors } },
    },
    async (request) => {
      const { project, environment, canManage } = context(request);
      const { row, inherited } = await findVariable(project, environment, request.params.variableId);
      return present(row, project, environment, inherited, canManage);
    },
  );

  app.patch(
    '/projects/:projectId/environments/:environmentId/variables/:variableId',
    {
      config: { requires: 'environment:variables' },
      schema: {
        operationId: 'update-projects-environments-variables',
        tags,
        summary: 'Change a variable; patching an inherited one (e.g. is_enabled=false) creates an override here',
        params: EnvironmentVariableParams,
        body: PatchEnvironmentVariableBody,
        response: { 200: acceptedResponse(EnvironmentVariableSchema), ...errors },
      },
    },
    async (request) => {
      const { project, environment } = context(request);
      const found = await findVariable(project, environment, request.params.variableId);
      const actor = await actorOf(services.audit, request);
      const row = await db.transaction().execute(async (trx) => {
        if (found.inherited) {
          const created = await variables.override(trx, found.row, environment.id, request.body);
          await audit(actor, trx, 'variable.override', created, Object.keys(request.body));
          return created;
        }
        const { row: updated, changed } = await variables.update(trx, found.row, request.body);
        await audit(actor, trx, 'variable.update', updated, changed);
        return updated;
      });
      return accepted(200, present(row, project, environment, false, true));
    },
  );

  app.delete(
    '/projects/:projectId/environments/:environmentId/variables/:variableId',
    {
      config: { requires: 'environment:variables' },
      schema: {
        operationId: 'delete-projects-environments-variables',
        tags,
        params: EnvironmentVariableParams,
        response: { 200: acceptedResponse(EnvironmentVariableSchema), ...errors },
      },
    },
    async (request) => {
      const { project, environment } = context(request);
      const found = await findVariable(project, environment, request.params.variableId);
      if (found.inherited) {
        throw new ApiError('invalid_request', `The variable ${found.row.name} is inherited, so it cannot be deleted from this environment. Disable it with is_enabled=false instead.`, {
          inherited_from: found.row.environment_id,
        });
      }
      const actor = await actorOf(services.audit, request);
      await db.transaction().execute(async (trx) => {
        await variables.delete(trx, found.row);
        await audit(actor, trx, 'variable.delete', found.row);
      });
      return accepted(200);
    },
  );
};
