import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Services } from '../services.js';
import type { Activity, Project } from '../db/schema.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { decideEnvironmentAction, type Grant } from '../access/policy.js';
import { environmentScope, projectScope } from '../access/route-requirements.js';
import { accepted, acceptedResponse, ProjectParams } from '../projects/schemas.js';
import { EnvironmentParams } from '../environments/schemas.js';
import { mayCancel, presentActivity } from './present.js';
import { activityLogStream } from './log-stream.js';
import { parseStartsAt } from './starts-at.js';
import { ActivityListQuery, ActivityParams, ActivitySchema, EnvironmentActivityParams, LogQuery } from './schemas.js';

export const activityRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'config' | 'database' | 'environments'> }> = async (app, { services }) => {
  const baseUrl = services.config.publicUrl;
  const tags = ['Activities'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  /** Environment types by id, to decide visibility and links per activity. */
  async function typesOf(project: Project) {
    return new Map((await services.environments.list(project.id)).map((e) => [e.id, e.type]));
  }

  function visible(activity: Activity, grant: Grant, types: Map<string, Parameters<typeof decideEnvironmentAction>[2]>): boolean {
    if (!activity.environment_id) return true;
    const type = types.get(activity.environment_id);
    return type !== undefined && decideEnvironmentAction(grant, 'environment:view', type).allowed;
  }

  /** Environment routes list the environment their requirement resolved; project routes the whole project. */
  async function listFor(request: FastifyRequest, environmentId: string | undefined, query: Static<typeof ActivityListQuery>) {
    const { principal, project, grant } = projectScope(request);
    const types = await typesOf(project);
    const activities = await services.activities.list({
      projectId: project.id,
      environmentId,
      types: query.type,
      states: query.state,
      results: query.result,
      count: query.count ?? 100,
      startsAt: query.starts_at === undefined ? undefined : parseStartsAt(query.starts_at),
    });
    return activities
      .filter((a) => visible(a, grant, types))
      .map((a) => presentActivity(a, baseUrl, mayCancel(a, grant, principal.userId, types.get(a.environment_id))));
  }

  /**
   * Activities of environments the caller may not view are not found (404), not refused: so these
   * routes require only the project, and the environment in the path is checked here.
   */
  async function oneFor(request: FastifyRequest, activityId: string, environmentId?: string) {
    const { principal, project, grant } = projectScope(request);
    const activity = await services.activities.find(project.id, activityId);
    const types = await typesOf(project);
    if (!activity || !visible(activity, grant, types)) throw new ApiError('not_found', 'Activity not found.');
    if (environmentId !== undefined) {
      const environment = await services.environments.require(project.id, environmentId);
      if (activity.environment_id !== environment.id) throw new ApiError('not_found', 'Activity not found in this environment.');
    }
    return { activity, grant, principal, type: types.get(activity.environment_id) };
  }

  async function cancel(request: FastifyRequest, activityId: string, environmentId?: string) {
    const { activity, grant, principal, type } = await oneFor(request, activityId, environmentId);
    if (activity.cancellable !== 1) throw new ApiError('invalid_request', `Activities of type ${activity.type} cannot be cancelled.`);
    if (!mayCancel(activity, grant, principal.userId, type)) {
      if (activity.state !== 'pending' && activity.state !== 'in_progress') throw new ApiError('invalid_request', `The activity is already ${activity.state}.`);
      throw new ApiError('forbidden', 'Only the user who started the activity or an environment admin can cancel it.', {
        missing_permission: type ? `${type}:admin` : 'admin',
      });
    }
    await services.activities.requestCancel(activity.id);
    await services.database.changes.publish('activity_cancel', activity.id);
    await services.database.changes.publish('activity_log', activity.id);
    const updated = (await services.activities.find(activity.project_id, activity.id)) ?? activity;
    return accepted(200, presentActivity(updated, baseUrl, mayCancel(updated, grant, principal.userId, type)));
  }

  app.get(
    '/projects/:projectId/activities',
    { config: { requires: 'project:view' }, schema: { operationId: 'list-projects-activities', tags, summary: 'Newest first', params: ProjectParams, querystring: ActivityListQuery, response: { 200: Type.Array(ActivitySchema), ...errors } } },
    async (request) => listFor(request, undefined, request.query),
  );

  app.get(
    '/projects/:projectId/environments/:environmentId/activities',
    {
      config: { requires: 'environment:view' },
      schema: { operationId: 'list-projects-environments-activities', tags, params: EnvironmentParams, querystring: ActivityListQuery, response: { 200: Type.Array(ActivitySchema), ...errors } },
    },
    async (request) => listFor(request, environmentScope(request).environment.id, request.query),
  );

  app.get(
    '/projects/:projectId/activities/:activityId',
    { config: { requires: 'project:view' }, schema: { operationId: 'get-projects-activities', tags, params: ActivityParams, response: { 200: ActivitySchema, ...errors } } },
    async (request) => {
      const { activity, grant, principal, type } = await oneFor(request, request.params.activityId);
      return presentActivity(activity, baseUrl, mayCancel(activity, grant, principal.userId, type));
    },
  );

  app.get(
    '/projects/:projectId/environments/:environmentId/activities/:activityId',
    { config: { requires: 'project:view' }, schema: { operationId: 'get-projects-environments-activities', tags, params: EnvironmentActivityParams, response: { 200: ActivitySchema, ...errors } } },
    async (request) => {
      const { activity, grant, principal, type } = await oneFor(request, request.params.activityId, request.params.environmentId);
      return presentActivity(activity, baseUrl, mayCancel(activity, grant, principal.userId, type));
    },
  );

  app.post(
    '/projects/:projectId/activities/:activityId/cancel',
    { config: { requires: 'project:view' }, schema: { operationId: 'action-projects-activities-cancel', tags, params: ActivityParams, response: { 200: acceptedResponse(ActivitySchema), ...errors } } },
    async (request) => cancel(request, request.params.activityId),
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/activities/:activityId/cancel',
    {
      config: { requires: 'project:view' },
      schema: { operationId: 'action-projects-environments-activities-cancel', tags, params: EnvironmentActivityParams, response: { 200: acceptedResponse(ActivitySchema), ...errors } },
    },
    async (request) => cancel(request, request.params.activityId, request.params.environmentId),
  );

  app.get(
    '/projects/:projectId/activities/:activityId/log',
    {
      config: { requires: 'project:view' },
      schema: {
        operationId: 'stream-activity-log',
        tags,
        summary: 'NDJSON log lines, then {"seal": true} once the activity has finished; a wait ends unsealed after PIER_LOG_STREAM_MAX_SECONDS (reopen with start_at)',
        params: ActivityParams,
        querystring: LogQuery,
        // 200 is an NDJSON stream, not a JSON body: left out of the response schemas on purpose.
        response: errors,
      },
    },
    async (request, reply) => {
      const { activity } = await oneFor(request, request.params.activityId);
      // The client going away ends the wait: nobody is left to read it.
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const stream = activityLogStream(services.activities, services.database.changes, activity.id, {
        startAt: request.query.start_at ?? 0,
        maxItems: request.query.max_items ?? 0,
        maxDelay: request.query.max_delay ?? -1,
        maxWaitSeconds: services.config.logStreamMaxSeconds,
        signal: gone.signal,
      });
      // The status and headers go out at once, not with the first line: a client following a quiet
      // activity learns it is connected instead of waiting (and timing out) for a first chunk.
      reply.raw.once('pipe', () => reply.raw.flushHeaders());
      // The typed reply only knows the JSON error bodies; the stream goes through the plain one.
      const plain: FastifyReply = reply;
      return plain.type('application/x-ndjson').header('cache-control', 'no-store').send(stream);
    },
  );
};
