import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { toUserBody, UserIdParams, UserSchema } from './schemas.js';
import { callerIsInstanceAdmin } from '../access/grants.js';
import { userScope } from '../access/route-requirements.js';
import { actorOf } from '../audit/audit-log.js';
import { deactivateUser, reactivateUser } from './deactivation.js';

export const userRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'audit' | 'database' | 'revocations' | 'users'> }> = async (app, { services }) => {
  app.get(
    '/users/me',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'get-current-user',
        tags: ['Users'],
        summary: 'The user the request is authenticated as',
        response: { 200: UserSchema, 401: ErrorBody },
      },
    },
    async (request) => {
      const user = await services.users.findRecentById(principalOf(request).userId);
      if (!user) throw new ApiError('invalid_token', 'The user of this access token no longer exists.');
      return toUserBody(user);
    },
  );

  app.get(
    '/users/:user_id',
    {
      config: { requires: 'user:view' },
      schema: {
        operationId: 'get-user',
        tags: ['Users'],
        summary: 'A user by id (yourself, or anyone for instance admins)',
        params: UserIdParams,
        response: { 200: UserSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { userId } = userScope(request);
      const user = await services.users.findById(userId);
      if (!user) throw new ApiError('not_found', 'User not found.');
      return toUserBody(user);
    },
  );

  app.get(
    '/users/email=:email',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'get-user-by-email',
        tags: ['Users'],
        summary: 'A user by e-mail address (instance admins, or yourself)',
        params: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }) }),
        response: { 200: UserSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const caller = principalOf(request);
      const user = await services.users.findByEmail(request.params.email);
      if (user?.id !== caller.userId && !(await callerIsInstanceAdmin(services, caller))) {
        throw new ApiError('forbidden', 'Only instance admins can look users up by e-mail address.', { missing_permission: 'instance:admin' });
      }
      if (!user) throw new ApiError('not_found', 'User not found.');
      return toUserBody(user);
    },
  );

  for (const change of ['deactivate', 'reactivate'] as const) {
    app.post(
      `/users/:user_id/${change}`,
      {
        config: { requires: `user:${change}` },
        schema: {
          operationId: `${change}-user`,
          tags: ['Users'],
          summary:
            change === 'deactivate'
              ? 'Deactivate a user (instance admins): every credential issued so far stops working on every node'
              : 'Let a deactivated user in again (instance admins); credentials issued before the deactivation stay dead',
          params: UserIdParams,
          response: { 200: UserSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => {
        const caller = principalOf(request);
        const user = await services.users.findById(request.params.user_id === 'me' ? caller.userId : request.params.user_id);
        if (!user) throw new ApiError('not_found', 'User not found.');
        if (change === 'deactivate' && user.id === caller.userId) throw new ApiError('conflict', 'You cannot deactivate yourself.');
        const actor = await actorOf(services.audit, request);
        const updated = change === 'deactivate' ? await deactivateUser(services, user, actor) : await reactivateUser(services, user, actor);
        request.log.info({ userId: user.id }, change === 'deactivate' ? 'user deactivated' : 'user reactivated');
        return toUserBody(updated);
      },
    );
  }
};
