import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { toUserBody, UserIdParams, UserSchema } from './schemas.js';

export const userRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/users/me',
    {
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
      schema: {
        operationId: 'get-user',
        tags: ['Users'],
        summary: 'A user by id (yourself, or anyone for instance admins)',
        params: UserIdParams,
        response: { 200: UserSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const caller = principalOf(request);
      const userId = request.params.user_id === 'me' ? caller.userId : request.params.user_id;
      if (userId !== caller.userId) {
        const me = await services.users.findById(caller.userId);
        if (me?.is_admin !== 1) throw new ApiError('forbidden', 'You may only view your own account.');
      }
      const user = await services.users.findById(userId);
      if (!user) throw new ApiError('not_found', 'User not found.');
      return toUserBody(user);
    },
  );
};
