import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Cron } from 'croner';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { loadProjectAccess, requireEnvironmentAction } from '../access/grants.js';
import { actorOf, recordAudit } from '../audit/audit-log.js';
import type { EnvironmentAction } from '../access/policy.js';
import { EnvironmentParams } from '../environments/schemas.js';
import { requireEnvironment } from '../environments/store.js';
import { presentActivity } from '../activities/present.js';
import { LongOperationResponse } from '../activities/schemas.js';
import { crons, readAppConfig } from '../git/app-config.js';
import { repositoryPath } from '../git/repositories.js';
import { deployedBuild, environmentLayout } from './environment-layout.js';
import { CRON_ACTIVITY } from './handlers.js';

const CronSchema = Type.Object(
  { name: Type.String(), app: Type.String(), spec: Type.String(), command: Type.String(), timeout: Type.Integer(), next_run: Type.Union([Type.String(), Type.Null()]) },
  { title: 'Cron' },
);
const CronParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  environmentId: Type.String({ minLength: 1, maxLength: 255 }),
  cronName: Type.String({ minLength: 1, maxLength: 100 }),
});

export const runtimeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { db } = services.database;
  const tags = ['Runtime'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  async function environmentFor(request: FastifyRequest, projectId: string, environmentId: string, action: EnvironmentAction) {
    const { project, grant } = await loadProjectAccess(db, principalOf(request), projectId);
    const environment = await requireEnvironment(db, project.id, environmentId);
    requireEnvironmentAction(grant, 'environment:view', environment.type);
    requireEnvironmentAction(grant, action, environment.type);
    return { project, environment };
  }

  async function deployedCrons(projectId: string, machineName: string) {
    const deployed = deployedBuild(environmentLayout(services.config.dataDir, projectId, machineName));
    return deployed ? crons(await readAppConfig(repositoryPath(services.config.dataDir, projectId), deployed.commit, services.vendor.projectConfigDir)) : [];
  }

  async function queue(request: FastifyRequest, projectId: string, environmentId: string, type: string, text: string, payload: Record<string, unknown>) {
    const actor = await actorOf(db, request);
    const activity = await db.transaction().execute(async (trx) => {
      const queued = await services.activities.enqueue(trx, actor, { projectId, environmentId, type, text, payload, parameters: payload });
      await recordAudit(trx, actor, { action: type, projectId, targetType: 'environment', targetId: environmentId, details: payload });
      return queued;
    });
    await services.database.changes.publish('activity', 'queued');
    return { status: 'Accepted', code: 202, _embedded: { activities: [presentActivity(activity, services.config.publicUrl, true)] } };
  }

  app.get(
    '/projects/:projectId/environments/:environmentId/crons',
    { schema: { operationId: 'list-environment-crons', tags, summary: 'Crons of the deployed code, with their next run (UTC)', params: EnvironmentParams, response: { 200: Type.Array(CronSchema), ...errors } } },
    async (request) => {
      const { project, environment } = await environmentFor(request, request.params.projectId, request.params.environmentId, 'environment:view');
      return (await deployedCrons(project.id, environment.machine_name)).map((cron) => ({
        name: cron.name,
        app: cron.app,
        spec: cron.spec,
        command: cron.start,
        timeout: cron.timeoutSeconds,
        next_run: environment.status === 'active' ? (new Cron(cron.spec, { timezone: 'UTC', paused: true }).nextRun()?.toISOString() ?? null) : null,
      }));
    },
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/crons/:cronName/run',
    { schema: { operationId: 'run-environment-cron', tags, summary: 'Run a cron now (an environment.cron activity)', params: CronParams, response: { 202: LongOperationResponse, ...errors } } },
    async (request, reply) => {
      const { project, environment } = await environmentFor(request, request.params.projectId, request.params.environmentId, 'environment:source-operation');
      if (!(await deployedCrons(project.id, environment.machine_name)).some((c) => c.name === request.params.cronName)) {
        throw new ApiError('not_found', `No cron named ${request.params.cronName} in the deployed code of ${environment.id}.`);
      }
      const body = await queue(request, project.id, environment.id, CRON_ACTIVITY, `Cron ${request.params.cronName} on ${environment.id} (run by hand)`, { cron: request.params.cronName });
      return reply.status(202).send(body);
    },
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/redeploy',
    { schema: { operationId: 'redeploy-environment', tags, summary: 'Build and deploy the head commit again', params: EnvironmentParams, response: { 202: LongOperationResponse, ...errors } } },
    async (request, reply) => {
      const { project, environment } = await environmentFor(request, request.params.projectId, request.params.environmentId, 'environment:manage');
      if (environment.status !== 'active') throw new ApiError('invalid_request', 'Only an active environment can be redeployed.');
      const body = await queue(request, project.id, environment.id, 'environment.redeploy', `Redeploy of ${environment.id}`, { commit: environment.head_commit });
      return reply.status(202).send(body);
    },
  );
};
