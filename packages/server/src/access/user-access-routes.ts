import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import type { Project } from '../db/schema.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { halLinks, segment } from '../http/hal.js';
import { actorOf } from '../audit/audit-log.js';
import { decideProjectAction, type Grant } from './policy.js';
import { requireProjectAction } from './grants.js';
import { projectScope } from './route-requirements.js';
import { formatPermissions, fromColumns, parsePermissions } from './permissions.js';
import { instanceOrganizationId } from '../organizations/instance-organization.js';
import { refHref } from './ref-links.js';
import { type AccessWithUser } from './store.js';
import { GrantAccessBody, ProjectIdParams, UpdateAccessBody, UserAccessCollection, UserAccessParams, UserProjectAccessSchema } from './schemas.js';

export const userAccessRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'activities' | 'audit' | 'config' | 'database' | 'projectAccess' | 'secrets' | 'users'> }> = async (app, { services }) => {
  const { db } = services.database;
  const baseUrl = services.config.publicUrl;
  const key = services.secrets.tokenHmacKey;
  const organizationId = instanceOrganizationId(key);
  const tags = ['User Access'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  /** Signed links to the users and the organization, which Platform.sh clients resolve for e-mails and names. */
  function refLinks(userIds: string[]): Array<[string, string]> {
    return [
      ['ref:users:0', refHref(baseUrl, key, 'users', userIds)],
      ['ref:organizations:0', refHref(baseUrl, key, 'organizations', [organizationId])],
    ];
  }

  /** Items of a list carry no ref links of their own: clients resolve the list's once for all. */
  function present(row: AccessWithUser, project: Project, grant: Grant, withRefs = false) {
    const self = `${baseUrl}/projects/${segment(project.id)}/user-access/${segment(row.user_id)}`;
    const manage = decideProjectAction(grant, 'access:manage').allowed && row.user_id !== project.owner_id;
    return {
      user_id: row.user_id,
      organization_id: organizationId,
      project_id: project.id,
      project_title: project.title,
      permissions: formatPermissions(fromColumns(row)),
      granted_at: row.granted_at,
      updated_at: row.updated_at,
      user: { id: row.user_id, username: row.username, email: row.email, first_name: row.first_name, last_name: row.last_name },
      _links: halLinks([
        ['self', self],
        ['update', self, 'PATCH', manage],
        ['delete', self, 'DELETE', manage],
        ...(withRefs ? refLinks([row.user_id]) : []),
      ]),
    };
  }

  function refuseOwnerChange(project: Project, userId: string): void {
    if (userId === project.owner_id) throw new ApiError('invalid_request', "The project owner's access cannot be changed.");
  }

  app.get(
    '/projects/:project_id/user-access',
    { config: { requires: 'access:view' }, schema: { operationId: 'list-project-user-access', tags, params: ProjectIdParams, response: { 200: UserAccessCollection, ...errors } } },
    async (request) => {
      const { project, grant } = projectScope(request);
      const rows = await services.projectAccess.list(project.id);
      return {
        items: rows.map((row) => present(row, project, grant)),
        _links: halLinks([['self', `${baseUrl}/projects/${segment(project.id)}/user-access`], ...refLinks(rows.map((row) => row.user_id))]),
      };
    },
  );

  app.post(
    '/projects/:project_id/user-access',
    {
      config: { requires: 'access:manage' },
      schema: {
        operationId: 'grant-project-user-access',
        tags,
        summary: 'Grant existing users access (use invitations for new e-mail addresses)',
        params: ProjectIdParams,
        body: GrantAccessBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { project } = projectScope(request);
      const grants = request.body.map((entry) => ({ userId: entry.user_id, levels: parsePermissions(entry.permissions) }));
      for (const { userId } of grants) {
        if (!(await services.users.findById(userId))) throw new ApiError('not_found', `User not found: ${userId}`, { field: 'user_id' });
        if (await services.projectAccess.find(project.id, userId)) throw new ApiError('conflict', `User ${userId} already has access; use PATCH to change it.`);
      }
      const actor = await actorOf(services.audit, request);
      await db.transaction().execute(async (trx) => {
        for (const { userId, levels } of grants) {
          await services.projectAccess.upsert(trx, project.id, userId, levels);
          await services.audit.recordIn(trx, actor, { action: 'access.grant', projectId: project.id, targetType: 'user', targetId: userId, details: { permissions: formatPermissions(levels) } });
          await services.activities.recordInstant(trx, actor, accessActivity(project.id, 'add', actor.email, userId, formatPermissions(levels)));
        }
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/projects/:project_id/user-access/:user_id',
    { config: { requires: 'project:view' }, schema: { operationId: 'get-project-user-access', tags, params: UserAccessParams, response: { 200: UserProjectAccessSchema, ...errors } } },
    async (request) => {
      const { principal, project, grant } = projectScope(request);
      const userId = request.params.user_id === 'me' ? principal.userId : request.params.user_id;
      if (userId !== principal.userId) requireProjectAction(grant, 'access:view');
      const row = await services.projectAccess.find(project.id, userId);
      if (!row) throw new ApiError('not_found', 'This user has no access to the project.');
      return present(row, project, grant, true);
    },
  );

  app.patch(
    '/projects/:project_id/user-access/:user_id',
    { config: { requires: 'access:manage' }, schema: { operationId: 'update-project-user-access', tags, params: UserAccessParams, body: UpdateAccessBody, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { project } = projectScope(request);
      refuseOwnerChange(project, request.params.user_id);
      const levels = parsePermissions(request.body.permissions);
      if (!(await services.projectAccess.find(project.id, request.params.user_id))) throw new ApiError('not_found', 'This user has no access to the project.');
      const actor = await actorOf(services.audit, request);
      await db.transaction().execute(async (trx) => {
        await services.projectAccess.upsert(trx, project.id, request.params.user_id, levels);
        await services.audit.recordIn(trx, actor, {
          action: 'access.update',
          projectId: project.id,
          targetType: 'user',
          targetId: request.params.user_id,
          details: { permissions: formatPermissions(levels) },
        });
        await services.activities.recordInstant(trx, actor, accessActivity(project.id, 'update', actor.email, request.params.user_id, formatPermissions(levels)));
      });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/projects/:project_id/user-access/:user_id',
    { config: { requires: 'access:manage' }, schema: { operationId: 'delete-project-user-access', tags, params: UserAccessParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { project } = projectScope(request);
      refuseOwnerChange(project, request.params.user_id);
      const actor = await actorOf(services.audit, request);
      const removed = await db.transaction().execute(async (trx) => {
        const deleted = await services.projectAccess.delete(trx, project.id, request.params.user_id);
        if (deleted) {
          await services.audit.recordIn(trx, actor, { action: 'access.revoke', projectId: project.id, targetType: 'user', targetId: request.params.user_id });
          await services.activities.recordInstant(trx, actor, accessActivity(project.id, 'remove', actor.email, request.params.user_id, []));
        }
        return deleted;
      });
      if (!removed) throw new ApiError('not_found', 'This user has no access to the project.');
      return reply.status(204).send(null);
    },
  );
};

function accessActivity(projectId: string, verb: 'add' | 'update' | 'remove', actorEmail: string | null, userId: string, permissions: string[]) {
  const what = verb === 'remove' ? 'removed the access of' : verb === 'add' ? 'gave access to' : 'changed the access of';
  return {
    projectId,
    environmentId: '',
    type: `project.access.${verb}`,
    text: `${actorEmail ?? 'Someone'} ${what} user ${userId}${permissions.length ? ` (${permissions.join(', ')})` : ''}`,
    payload: { user_id: userId, permissions },
  };
}
