import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf, type Principal } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { ApiTokenParams, ApiTokenSchema, CreateApiTokenBody, toApiTokenBody } from './schemas.js';
import { UserIdParams } from '../users/schemas.js';
import { actorOf, recordAudit } from '../audit/audit-log.js';
import { expiryForNewToken } from './api-token-lifetime.js';

/** Answered on the token list when the instance caps token lifetimes: the maximum, in seconds. */
export const MAX_LIFETIME_HEADER = 'pier-api-token-max-lifetime';

/** A user manages only their own API tokens; `me` stands for the caller's id. */
function ownUserId(principal: Principal, userId: string): string {
  if (userId !== 'me' && userId !== principal.userId) {
    throw new ApiError('forbidden', 'You can only manage your own API tokens.');
  }
  return principal.userId;
}

export const apiTokenRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['Api Tokens'];

  app.get(
    '/users/:user_id/api-tokens',
    {
      schema: {
        operationId: 'list-api-tokens',
        tags,
        params: UserIdParams,
        response: {
          200: Type.Array(ApiTokenSchema, {
            headers: {
              [MAX_LIFETIME_HEADER]: Type.Integer({ description: 'Set when the instance has a maximum API token lifetime (PIER_API_TOKEN_MAX_LIFETIME): the maximum in seconds.' }),
            },
          }),
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const userId = ownUserId(principalOf(request), request.params.user_id);
      const max = services.config.apiTokenMaxLifetime;
      if (max) void reply.header(MAX_LIFETIME_HEADER, String(max.seconds));
      return (await services.apiTokens.listLive(userId)).map((row) => toApiTokenBody(row));
    },
  );

  app.post(
    '/users/:user_id/api-tokens',
    {
      schema: {
        operationId: 'create-api-token',
        tags,
        params: UserIdParams,
        body: CreateApiTokenBody,
        response: { 201: ApiTokenSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const userId = ownUserId(principalOf(request), request.params.user_id);
      const expiresAt = expiryForNewToken(request.body.expires_at ? new Date(request.body.expires_at) : null, services.config.apiTokenMaxLifetime);
      const actor = await actorOf(services.database.db, request);
      const created = await services.apiTokens.create(userId, request.body.name.trim(), expiresAt?.toISOString() ?? null);
      await recordAudit(services.database.db, actor, {
        action: 'api_token.create',
        projectId: null,
        targetType: 'api_token',
        targetId: created.row.id,
        details: { name: created.row.name, expires_at: created.row.expires_at },
      });
      request.log.info({ apiTokenId: created.row.id, userId }, 'API token created');
      return reply.status(201).send(toApiTokenBody(created.row, created.token));
    },
  );

  app.get(
    '/users/:user_id/api-tokens/:token_id',
    {
      schema: {
        operationId: 'get-api-token',
        tags,
        params: ApiTokenParams,
        response: { 200: ApiTokenSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const userId = ownUserId(principalOf(request), request.params.user_id);
      const row = await services.apiTokens.findLive(userId, request.params.token_id);
      if (!row) throw new ApiError('not_found', 'API token not found.');
      return toApiTokenBody(row);
    },
  );

  app.delete(
    '/users/:user_id/api-tokens/:token_id',
    {
      schema: {
        operationId: 'delete-api-token',
        tags,
        params: ApiTokenParams,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const userId = ownUserId(principalOf(request), request.params.user_id);
      const tokenId = request.params.token_id;
      const token = await services.apiTokens.findLive(userId, tokenId);
      const actor = await actorOf(services.database.db, request);
      if (!token || !(await services.apiTokens.revoke(userId, tokenId))) throw new ApiError('not_found', 'API token not found.');
      await services.revocations.announce({ kind: 'api_token', id: tokenId });
      await recordAudit(services.database.db, actor, { action: 'api_token.delete', projectId: null, targetType: 'api_token', targetId: tokenId, details: { name: token.name } });
      request.log.info({ apiTokenId: tokenId, userId }, 'API token revoked');
      return reply.status(204).send(null);
    },
  );
};
