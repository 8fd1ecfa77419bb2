import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Cron } from 'croner';
import type { Services } from '../services.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { environmentScope } from '../access/route-requirements.js';
import { EnvironmentParams } from '../environments/schemas.js';
import { startActivity } from '../activities/start.js';
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

export const runtimeRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'audit' | 'config' | 'database' | 'vendor'> }> = async (app, { services }) => {
  const tags = ['Runtime'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  async function deployedCrons(projectId: string, machineName: string) {
    const deployed = deployedBuild(environmentLayout(services.config.dataDir, projectId, machineName));
    return deployed ? crons(await readAppConfig(repositoryPath(services.config.dataDir, projectId), deployed.commit, services.vendor.projectConfigDir)) : [];
  }

  /** Runtime activities name what they run in their payload, which is also their parameters and audit details. */
  function queue(request: FastifyRequest, reply: FastifyReply, projectId: string, environmentId: string, type: string, text: string, payload: Record<string, unknown>) {
    return startActivity(services, services.config.publicUrl, request, reply, async (trx, actor) => ({
      activity: await services.activities.enqueue(trx, actor, { projectId, environmentId, type, text, payload, parameters: payload }),
      audit: { action: type, projectId, targetType: 'environment', targetId: environmentId, details: payload },
    }));
  }

  app.get(
    '/projects/:projectId/environments/:environmentId/crons',
    { config: { requires: 'environment:view' }, schema: { operationId: 'list-environment-crons', tags, summary: 'Crons of the deployed code, with their next run (UTC)', params: EnvironmentParams, response: { 200: Type.Array(CronSchema), ...errors } } },
    async (request) => {
      const { project, environment } = environmentScope(request);
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
    { config: { requires: 'environment:source-operation' }, schema: { operationId: 'run-environment-cron', tags, summary: 'Run a cron now (an environment.cron activity)', params: CronParams, response: { 202: LongOperationResponse, ...errors } } },
    async (request, reply) => {
      const { project, environment } = environmentScope(request);
      if (!(await deployedCrons(project.id, environment.machine_name)).some((c) => c.name === request.params.cronName)) {
        throw new ApiError('not_found', `No cron named ${request.params.cronName} in the deployed code of ${environment.id}.`);
      }
      return queue(request, reply, project.id, environment.id, CRON_ACTIVITY, `Cron ${request.params.cronName} on ${environment.id} (run by hand)`, { cron: request.params.cronName });
    },
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/redeploy',
    { config: { requires: 'environment:manage' }, schema: { operationId: 'redeploy-environment', tags, summary: 'Build and deploy the head commit again', params: EnvironmentParams, response: { 202: LongOperationResponse, ...errors } } },
    async (request, reply) => {
      const { project, environment } = environmentScope(request);
      if (environment.status !== 'active') throw new ApiError('invalid_request', 'Only an active environment can be redeployed.');
      return queue(request, reply, project.id, environment.id, 'environment.redeploy', `Redeploy of ${environment.id}`, { commit: environment.head_commit });
    },
  );
};
