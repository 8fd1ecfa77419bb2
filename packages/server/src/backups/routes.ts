import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import type { Backup, Environment, Project } from '../db/schema.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { halLinks, segment } from '../http/hal.js';
import { decideEnvironmentAction, type Grant } from '../access/policy.js';
import { requireEnvironmentAction } from '../access/grants.js';
import { environmentScope } from '../access/route-requirements.js';
import { actorOf } from '../audit/audit-log.js';
import { startActivity } from '../activities/start.js';
import { accepted, acceptedResponse } from '../projects/schemas.js';
import { EnvironmentParams } from '../environments/schemas.js';
import { environmentUrl } from '../environments/present.js';
import { LongOperationResponse } from '../activities/schemas.js';
import { BACKUP_ACTIVITY, RESTORE_ACTIVITY } from './handlers.js';

const BackupSchema = Type.Object(
  {
    id: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    attributes: Type.Record(Type.String(), Type.String()),
    status: Type.Union([Type.Literal('PENDING'), Type.Literal('CREATED'), Type.Literal('FAILED')]),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    index: Type.Union([Type.Integer(), Type.Null()]),
    commit_id: Type.String({ description: 'Empty when the environment had no code' }),
    environment: Type.String(),
    safe: Type.Boolean(),
    size_of_volumes: Type.Integer(),
    size_used: Type.Integer(),
    deployment: Type.Null(),
    restorable: Type.Boolean(),
    automated: Type.Boolean(),
    sha256: Type.Union([Type.String(), Type.Null()]),
    _links: Type.Record(Type.String(), Type.Object({ href: Type.String(), method: Type.Optional(Type.String()) })),
  },
  { title: 'Backup' },
);

const BackupParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  environmentId: Type.String({ minLength: 1, maxLength: 255 }),
  backupId: Type.String({ minLength: 1, maxLength: 64 }),
});
const CreateBackupBody = Type.Object({ safe: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false });
const RestoreBody = Type.Object(
  {
    environment_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Restore into this environment (default: the backup’s own)' })),
    branch_from: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    restore_code: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const backupRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'audit' | 'backupStorage' | 'backups' | 'config' | 'database' | 'environments'> }> = async (app, { services }) => {
  const { db } = services.database;
  const baseUrl = services.config.publicUrl;
  const tags = ['Environment Backups'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  function present(backup: Backup, project: Project, environment: Environment, grant: Grant) {
    const self = `${environmentUrl(baseUrl, project.id, environment.id)}/backups/${segment(backup.id)}`;
    const admin = decideEnvironmentAction(grant, 'environment:backup', environment.type).allowed;
    return {
      id: backup.id,
      created_at: backup.created_at,
      updated_at: backup.updated_at,
      attributes: {},
      status: backup.status,
      expires_at: backup.expires_at,
      index: null,
      commit_id: backup.commit_id ?? '',
      environment: environment.id,
      safe: backup.safe === 1,
      size_of_volumes: backup.size_used,
      size_used: backup.size_used,
      deployment: null,
      restorable: backup.restorable === 1,
      automated: false,
      sha256: backup.sha256,
      _links: halLinks([
        ['self', self],
        ['#restore', `${self}/restore`, 'POST', admin && backup.restorable === 1],
        ['#delete', self, 'DELETE', admin && backup.status !== 'PENDING'],
      ]),
    };
  }

  app.post(
    '/projects/:projectId/environments/:environmentId/backup',
    {
      config: { requires: 'environment:backup' },
      schema: {
        operationId: 'backup-environment',
        tags,
        summary: 'Back up the environment (an environment.backup activity); safe (default) pauses writes',
        params: EnvironmentParams,
        body: Type.Optional(CreateBackupBody),
        response: { 202: LongOperationResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { project, environment } = environmentScope(request);
      if (environment.status !== 'active') throw new ApiError('invalid_request', 'Only an active environment can be backed up.');
      const safe = request.body?.safe ?? true;
      return startActivity(services, baseUrl, request, reply, async (trx, actor) => {
        const queued = await services.activities.enqueue(trx, actor, {
          projectId: project.id,
          environmentId: environment.id,
          type: BACKUP_ACTIVITY,
          text: `${actor.email ?? 'Someone'} created a ${safe ? 'safe' : 'live'} backup of ${environment.id}`,
          parameters: { safe },
          payload: {},
        });
        const backup = await services.backups.createPending(trx, { projectId: project.id, environmentId: environment.id, activityId: queued.id, safe });
        return {
          activity: await services.activities.replacePayload(trx, queued, { backup_name: backup.id, environment: environment.id }),
          audit: { action: 'backup.create', projectId: project.id, targetType: 'backup', targetId: backup.id, details: { environment: environment.id, safe } },
        };
      });
    },
  );

  app.get(
    '/projects/:projectId/environments/:environmentId/backups',
    { config: { requires: 'environment:view' }, schema: { operationId: 'list-projects-environments-backups', tags, summary: 'Newest first', params: EnvironmentParams, response: { 200: Type.Array(BackupSchema), ...errors } } },
    async (request) => {
      const { project, grant, environment } = environmentScope(request);
      return (await services.backups.list(project.id, environment.id)).map((b) => present(b, project, environment, grant));
    },
  );

  /** The backup named in the path, within the environment the route's requirement resolved. */
  async function backupContext(request: FastifyRequest, backupId: string) {
    const context = environmentScope(request);
    const backup = await services.backups.find(context.project.id, backupId);
    if (!backup || backup.environment_id !== context.environment.id) throw new ApiError('not_found', 'Backup not found.');
    return { ...context, backup };
  }

  app.get(
    '/projects/:projectId/environments/:environmentId/backups/:backupId',
    { config: { requires: 'environment:view' }, schema: { operationId: 'get-projects-environments-backups', tags, params: BackupParams, response: { 200: BackupSchema, ...errors } } },
    async (request) => {
      const { project, grant, environment, backup } = await backupContext(request, request.params.backupId);
      return present(backup, project, environment, grant);
    },
  );

  app.delete(
    '/projects/:projectId/environments/:environmentId/backups/:backupId',
    { config: { requires: 'environment:backup' }, schema: { operationId: 'delete-projects-environments-backups', tags, params: BackupParams, response: { 200: acceptedResponse(BackupSchema), ...errors } } },
    async (request) => {
      const { project, environment, backup } = await backupContext(request, request.params.backupId);
      if (backup.status === 'PENDING') throw new ApiError('conflict', 'The backup is still being created.');
      const actor = await actorOf(services.audit, request);
      await db.transaction().execute(async (trx) => {
        await services.backups.delete(trx, backup.id);
        await services.activities.recordInstant(trx, actor, {
          projectId: project.id,
          environmentId: environment.id,
          type: 'environment.backup.delete',
          text: `${actor.email ?? 'Someone'} deleted backup ${backup.id} of ${environment.id}`,
          payload: { backup_name: backup.id },
        });
        await services.audit.recordIn(trx, actor, { action: 'backup.delete', projectId: project.id, targetType: 'backup', targetId: backup.id, details: { environment: environment.id } });
      });
      if (backup.storage_key) {
        await services.backupStorage.remove(backup.storage_key);
        await services.backupStorage.remove(`${backup.storage_key}.manifest.json`);
      }
      return accepted(200);
    },
  );

  app.post(
    '/projects/:projectId/environments/:environmentId/backups/:backupId/restore',
    {
      config: { requires: 'environment:backup' },
      schema: {
        operationId: 'restore-backup',
        tags,
        summary: 'Restore into this or another environment (an environment.restore activity)',
        params: BackupParams,
        body: Type.Optional(RestoreBody),
        response: { 202: LongOperationResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { project, grant, environment, backup } = await backupContext(request, request.params.backupId);
      if (backup.restorable !== 1) throw new ApiError('invalid_request', 'The backup is not restorable (still being created, or failed).');
      const targetName = request.body?.environment_name ?? environment.id;
      const target = await services.environments.require(project.id, targetName);
      requireEnvironmentAction(grant, 'environment:backup', target.type);
      return startActivity(services, baseUrl, request, reply, async (trx, actor) => ({
        activity: await services.activities.enqueue(trx, actor, {
          projectId: project.id,
          environmentId: target.id,
          type: RESTORE_ACTIVITY,
          text: `${actor.email ?? 'Someone'} restored backup ${backup.id} of ${environment.id} into ${target.id}`,
          parameters: { backup: backup.id, source_environment: environment.id },
          payload: { backup_name: backup.id, environment: target.id },
        }),
        audit: { action: 'backup.restore', projectId: project.id, targetType: 'backup', targetId: backup.id, details: { into: target.id } },
      }));
    },
  );
};
