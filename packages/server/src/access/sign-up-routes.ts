import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../services.js';
import type { Invitation, Project, User } from '../db/schema.js';
import type { FastifyRequest } from 'fastify';
import { ApiError, ErrorBody } from '../http/errors.js';
import { type Actor } from '../audit/audit-log.js';
import { optionalPrincipal } from '../http/authenticate.js';
import { startConsoleSession } from '../auth/session-cookie.js';
import { requireJsonBody, requireSameOrigin } from '../http/same-origin.js';
import { formatPermissions, fromColumns } from './permissions.js';
import { AcceptedInvitationSchema, AcceptInvitationBody, InvitationTokenParams, PublicInvitationSchema } from './schemas.js';

/** The public endpoints behind the e-mailed sign-up link: preview it, accept it once. */
export const signUpRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'audit' | 'config' | 'database' | 'invitations' | 'loginThrottle' | 'passwords' | 'projectAccess' | 'projects' | 'sessions' | 'users' | 'verifier'> }> = async (app, { services }) => {
  const { db } = services.database;
  const { invitations } = services;
  const tags = ['Project Invitations'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody, 415: ErrorBody, 429: ErrorBody };

  async function inviterEmail(invitation: Invitation): Promise<string> {
    return (await services.users.findById(invitation.inviter_id))?.email ?? 'unknown';
  }

  /** A link is usable once, while pending and unexpired; anything else gets a clear 410. */
  async function usableInvitation(token: string): Promise<{ invitation: Invitation; project: Project }> {
    const invitation = await invitations.findByToken(token);
    if (!invitation) throw new ApiError('not_found', 'This invitation link is not valid. Check that you copied the whole link.');
    if (invitation.state === 'accepted') throw new ApiError('gone', 'This invitation has already been used. Log in instead.', { state: 'accepted' });
    if (invitation.state === 'cancelled') throw new ApiError('gone', 'This invitation was cancelled. Ask a project admin for a new one.', { state: 'cancelled' });
    if (invitation.expires_at <= new Date().toISOString()) {
      throw new ApiError('gone', 'This invitation has expired. Ask a project admin to invite you again.', { state: 'expired' });
    }
    const project = await services.projects.find(invitation.project_id);
    if (!project) throw new ApiError('gone', 'The project of this invitation no longer exists.', { state: 'project_deleted' });
    return { invitation, project };
  }

  /**
   * A link for an address that has an account (made after the invitation, or invited twice) adds
   * the project to that account: only its owner may do that, logged in as it or with its password.
   */
  async function requireLoginAs(request: FastifyRequest, user: User, password: string | undefined): Promise<void> {
    const principal = await optionalPrincipal(request, services);
    if (principal) {
      if (principal.userId !== user.id) throw new ApiError('forbidden', `This invitation is for ${user.email}: log in as that account to accept it.`);
      return;
    }
    if (password === undefined) {
      throw new ApiError('authentication_required', `${user.email} already has an account: log in as it, or send its password, to accept.`, { field: 'password' });
    }
    const wait = await services.loginThrottle.admit(request.ip);
    if (wait > 0) throw new ApiError('rate_limited', `Too many failed logins. Try again in ${wait} seconds.`);
    if (!(await services.passwords.verifyLogin(password, user.password_hash)) || user.deactivated === 1) {
      throw new ApiError('authentication_required', `The password of ${user.email} is wrong.`, { field: 'password' });
    }
    await services.loginThrottle.forgive(request.ip);
  }

  app.get(
    '/invitations/:token',
    { config: { requires: 'public' }, schema: { operationId: 'preview-invitation', tags, summary: 'What a sign-up link offers (public)', security: [], params: InvitationTokenParams, response: { 200: PublicInvitationSchema, ...errors } } },
    async (request) => {
      const { invitation, project } = await usableInvitation(request.params.token);
      return {
        email: invitation.email,
        project_id: project.id,
        project_title: project.title,
        inviter: await inviterEmail(invitation),
        permissions: formatPermissions(fromColumns(invitation)),
        expires_at: invitation.expires_at,
        existing_account: (await services.users.findByEmail(invitation.email)) !== undefined,
      };
    },
  );

  app.post(
    '/invitations/:token/accept',
    {
      config: { requires: 'public' },
      schema: {
        operationId: 'accept-invitation',
        tags,
        summary: 'Accept: creates the account, or adds the project to an existing one logged in as itself (or with its password); logs in (public)',
        security: [],
        params: InvitationTokenParams,
        body: AcceptInvitationBody,
        response: { 200: AcceptedInvitationSchema, ...errors },
      },
      // It sets the session cookie: never on another site's behalf.
      preValidation: async (request) => {
        requireSameOrigin(request, services.config.publicUrl);
        requireJsonBody(request);
      },
    },
    async (request, reply) => {
      const { invitation, project } = await usableInvitation(request.params.token);
      const levels = fromColumns(invitation);
      let user = await services.users.findByEmail(invitation.email);
      if (user) await requireLoginAs(request, user, request.body.password);
      else if (!request.body.password || request.body.password.length < 12) {
        throw new ApiError('invalid_request', 'Choose a password of at least 12 characters.', { field: 'password' });
      }
      const passwordHash = !user && request.body.password ? await services.passwords.hash(request.body.password) : null;
      user = await db.transaction().execute(async (trx) => {
        if (!(await invitations.finish(trx, invitation.id, 'accepted'))) {
          throw new ApiError('gone', 'This invitation has already been used. Log in instead.', { state: 'accepted' });
        }
        const account =
          user ??
          (await services.users.create(
            {
              email: invitation.email,
              passwordHash,
              isAdmin: false,
              emailVerified: true,
              firstName: request.body.first_name?.trim() ?? '',
              lastName: request.body.last_name?.trim() ?? '',
            },
            trx,
          ));
        if (!(await services.projectAccess.exists(trx, project.id, account.id))) await services.projectAccess.upsert(trx, project.id, account.id, levels);
        const actor: Actor = { userId: account.id, email: account.email, authMethod: 'invitation', apiTokenId: null, apiTokenName: null, clientIp: request.ip };
        await services.audit.recordIn(trx, actor, {
          action: 'invitation.accept',
          projectId: project.id,
          targetType: 'invitation',
          targetId: invitation.id,
          details: { permissions: formatPermissions(levels), new_account: passwordHash !== null },
        });
        return account;
      });
      const session = await startConsoleSession(services, reply, user.id);
      return { user_id: user.id, project_id: project.id, permissions: formatPermissions(levels), csrf_token: session.csrfToken };
    },
  );
};
