import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { environmentTypes, type ProjectRole } from '@pier/api/vocabulary';
import type { Services } from '../services.js';
import type { EnvironmentRole, EnvironmentType, Invitation, Project } from '../db/schema.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { halLinks, segment } from '../http/hal.js';
import { actorOf } from '../audit/audit-log.js';
import { normaliseEmail } from '../users/store.js';
import { projectScope } from './route-requirements.js';
import { formatPermissions, fromColumns, normalise, type AccessLevels } from './permissions.js';
import { invitationMail } from './invitation-mail.js';
import { CreateInvitationBody, InvitationListQuery, InvitationParams, InvitationSchema, ProjectIdParams } from './schemas.js';

/** Project invitations, managed by project admins; the e-mailed link is handled in sign-up-routes. */
export const invitationRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'audit' | 'config' | 'database' | 'invitations' | 'mailer' | 'projectAccess' | 'users' | 'vendor'> }> = async (app, { services }) => {
  const { mailer } = services;
  const { db } = services.database;
  const baseUrl = services.config.publicUrl;
  const { invitations } = services;
  const tags = ['Project Invitations'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody };

  /**
   * Without a mail server nobody e-mails the link: the project admins (the only callers here) see
   * it and pass it on themselves. With one, the link goes to the invited address alone.
   */
  function linkFor(invitation: Invitation): { link?: string } {
    const token = services.config.smtpUrl ? undefined : invitations.pendingLinkToken(invitation);
    return token ? { link: signUpLink(token) } : {};
  }

  const signUpLink = (token: string) => `${baseUrl}/sign-up?invitation=${token}`;

  function present(invitation: Invitation, project: Project, inviterEmail: string, canManage: boolean) {
    const levels = fromColumns(invitation);
    const self = `${baseUrl}/projects/${segment(project.id)}/invitations/${segment(invitation.id)}`;
    return {
      ...linkFor(invitation),
      id: invitation.id,
      state: invitation.state,
      project_id: project.id,
      role: invitation.role,
      email: invitation.email,
      owner: { id: invitation.inviter_id, display_name: inviterEmail },
      created_at: invitation.created_at,
      updated_at: invitation.updated_at,
      finished_at: invitation.finished_at,
      expires_at: invitation.expires_at,
      permissions: environmentTypes.flatMap((type) => (levels.typeRoles[type] ? [{ type, role: levels.typeRoles[type] }] : [])),
      environments: [],
      _links: halLinks([
        ['self', self],
        ['#cancel', self, 'DELETE', canManage && invitation.state === 'pending'],
      ]),
    };
  }

  async function inviterEmail(invitation: Invitation): Promise<string> {
    return (await services.users.findById(invitation.inviter_id))?.email ?? 'unknown';
  }

  app.post(
    '/projects/:project_id/invitations',
    {
      config: { requires: 'access:manage' },
      schema: {
        operationId: 'create-project-invite',
        tags,
        summary: 'Invite by e-mail; an existing account gets the access at once',
        params: ProjectIdParams,
        body: CreateInvitationBody,
        response: { 201: InvitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { project } = projectScope(request);
      const email = normaliseEmail(request.body.email);
      const levels = levelsFrom(request.body.role, request.body.permissions);
      const actor = await actorOf(services.audit, request);
      const existingUser = await services.users.findByEmail(email);
      if (existingUser) {
        if (existingUser.id === project.owner_id) throw new ApiError('invalid_request', "The project owner's access cannot be changed.");
        const invitation = await db.transaction().execute(async (trx) => {
          await services.projectAccess.upsert(trx, project.id, existingUser.id, levels);
          const recorded = await invitations.recordDirectGrant(trx, { projectId: project.id, email, levels, inviterId: actor.userId ?? '' });
          await services.audit.recordIn(trx, actor, {
            action: 'access.grant',
            projectId: project.id,
            targetType: 'user',
            targetId: existingUser.id,
            details: { email, permissions: formatPermissions(levels), via: 'invitation' },
          });
          return recorded;
        });
        return reply.status(201).send(present(invitation, project, actor.email ?? '', true));
      }

      const pending = await invitations.findPending(project.id, email);
      if (pending && !request.body.force) {
        throw new ApiError('conflict', `An invitation for ${email} is already pending. Send again with "force": true to replace it.`, {
          invitation_id: pending.id,
        });
      }
      const { invitation, token } = await db.transaction().execute(async (trx) => {
        if (pending) await invitations.finish(trx, pending.id, 'cancelled');
        const created = await invitations.create(trx, { projectId: project.id, email, levels, inviterId: actor.userId ?? '', ttlSeconds: services.config.invitationTtlSeconds });
        await services.audit.recordIn(trx, actor, {
          action: 'invitation.create',
          projectId: project.id,
          targetType: 'invitation',
          targetId: created.invitation.id,
          details: { email, permissions: formatPermissions(levels), replaced: pending?.id ?? null },
        });
        return created;
      });
      await mailer.send(
        invitationMail({
          productName: services.vendor.productName,
          to: email,
          projectTitle: project.title,
          inviterEmail: actor.email ?? 'An administrator',
          permissions: formatPermissions(levels),
          link: signUpLink(token),
          expiresAt: invitation.expires_at,
        }),
      );
      return reply.status(201).send(present(invitation, project, actor.email ?? '', true));
    },
  );

  app.get(
    '/projects/:project_id/invitations',
    {
      config: { requires: 'access:manage' },
      schema: {
        operationId: 'list-project-invites',
        tags,
        params: ProjectIdParams,
        querystring: InvitationListQuery,
        response: { 200: Type.Array(InvitationSchema), ...errors },
      },
    },
    async (request) => {
      const { project } = projectScope(request);
      const rows = await invitations.list(project.id, request.query['filter[state]'] ?? 'pending');
      return Promise.all(rows.map(async (row) => present(row, project, await inviterEmail(row), true)));
    },
  );

  app.delete(
    '/projects/:project_id/invitations/:invitation_id',
    { config: { requires: 'access:manage' }, schema: { operationId: 'cancel-project-invite', tags, params: InvitationParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { project } = projectScope(request);
      const invitation = await invitations.find(project.id, request.params.invitation_id);
      if (!invitation) throw new ApiError('not_found', 'Invitation not found.');
      if (invitation.state !== 'pending') throw new ApiError('invalid_request', `The invitation is already ${invitation.state}.`);
      const actor = await actorOf(services.audit, request);
      await db.transaction().execute(async (trx) => {
        await invitations.finish(trx, invitation.id, 'cancelled');
        await services.audit.recordIn(trx, actor, { action: 'invitation.cancel', projectId: project.id, targetType: 'invitation', targetId: invitation.id, details: { email: invitation.email } });
      });
      return reply.status(204).send(null);
    },
  );
};

function levelsFrom(role: ProjectRole | undefined, permissions: Array<{ type: EnvironmentType; role: EnvironmentRole }> = []): AccessLevels {
  const typeRoles: Partial<Record<EnvironmentType, EnvironmentRole>> = {};
  for (const permission of permissions) typeRoles[permission.type] = permission.role;
  return normalise({ role: role ?? 'viewer', typeRoles });
}
