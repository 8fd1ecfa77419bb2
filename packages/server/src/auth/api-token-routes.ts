import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf, type Principal } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { ApiTokenParams, ApiTokenSchema, CreateApiTokenBody, RotateApiTokenBody, toApiTokenBody } from './schemas.js';
import { parseAllowedIps } from './address-binding.js';
import { parseTokenScope, serializeTokenScope, type TokenScope } from '../access/token-scope.js';
import { loadGrant } from '../access/grants.js';
import { userScope } from '../access/route-requirements.js';
import { UserIdParams } from '../users/schemas.js';
import { actorOf } from '../audit/audit-log.js';
import { expiryForNewToken } from './api-token-lifetime.js';

/** Answered on the token list when the instance caps token lifetimes: the maximum, in seconds. */
export const MAX_LIFETIME_HEADER = 'pier-api-token-max-lifetime';

/**
 * A scoped credential cannot mint or re-mint a credential: its holder could otherwise step out of
 * the scope (GitLab's `self_rotate` is a scope of its own for the same reason).
 */
function unscoped(principal: Principal, what = 'create or rotate API tokens'): void {
  if (principal.scope) throw new ApiError('forbidden', `A scoped token cannot ${what}.`, { missing_permission: 'token scope (none)' });
}

export const apiTokenRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'apiTokens' | 'audit' | 'config' | 'projectAccess' | 'projects' | 'revocations' | 'users'> }> = async (app, { services }) => {
  const tags = ['Api Tokens'];

  app.get(
    '/users/:user_id/api-tokens',
    {
      config: { requires: 'user:api-tokens' },
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
      const userId = userScope(request).userId;
      const max = services.config.apiTokenMaxLifetime;
      if (max) void reply.header(MAX_LIFETIME_HEADER, String(max.seconds));
      return (await services.apiTokens.listLive(userId)).map((row) => toApiTokenBody(row));
    },
  );

  app.post(
    '/users/:user_id/api-tokens',
    {
      config: { requires: 'user:api-tokens' },
      schema: {
        operationId: 'create-api-token',
        tags,
        params: UserIdParams,
        body: CreateApiTokenBody,
        response: { 201: ApiTokenSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const userId = userScope(request).userId;
      const expiresAt = expiryForNewToken(request.body.expires_at ? new Date(request.body.expires_at) : null, services.config.apiTokenMaxLifetime);
      unscoped(principalOf(request));
      const scope = request.body.scope ? await checkedScope(userId, parseTokenScope(request.body.scope)) : null;
      const allowedIps = request.body.allowed_ips ? parseAllowedIps(request.body.allowed_ips) : null;
      const actor = await actorOf(services.audit, request);
      const created = await services.apiTokens.create(userId, request.body.name.trim(), expiresAt?.toISOString() ?? null, {
        scope: serializeTokenScope(scope),
        allowedIps,
      });
      const body = toApiTokenBody(created.row);
      await services.audit.record(actor, {
        action: 'api_token.create',
        projectId: null,
        targetType: 'api_token',
        targetId: created.row.id,
        details: { name: created.row.name, expires_at: created.row.expires_at, scope: body.scope ?? null, allowed_ips: body.allowed_ips ?? null },
      });
      request.log.info({ apiTokenId: created.row.id, userId }, 'API token created');
      return reply.status(201).send(toApiTokenBody(created.row, created.token));
    },
  );

  app.get(
    '/users/:user_id/api-tokens/:token_id',
    {
      config: { requires: 'user:api-tokens' },
      schema: {
        operationId: 'get-api-token',
        tags,
        params: ApiTokenParams,
        response: { 200: ApiTokenSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const userId = userScope(request).userId;
      const row = await services.apiTokens.findLive(userId, request.params.token_id);
      if (!row) throw new ApiError('not_found', 'API token not found.');
      return toApiTokenBody(row);
    },
  );

  app.post(
    '/users/:user_id/api-tokens/:token_id/rotate',
    {
      config: { requires: 'user:api-tokens' },
      schema: {
        operationId: 'rotate-api-token',
        tags,
        summary: 'A new secret for the token (shown once); the old one keeps working for overlap_seconds',
        params: ApiTokenParams,
        body: RotateApiTokenBody,
        response: { 200: ApiTokenSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const userId = userScope(request).userId;
      unscoped(principal);
      const overlap = request.body.overlap_seconds;
      const actor = await actorOf(services.audit, request);
      const rotated = await services.apiTokens.rotate(userId, request.params.token_id, overlap);
      if (!rotated) throw new ApiError('not_found', 'API token not found (or it has expired or been revoked).');
      const rotatedAt = Date.parse(rotated.row.rotated_at!);
      await services.revocations.announce({ kind: 'rotation', id: rotated.row.id, rotatedAt, retiredAt: Date.parse(rotated.row.previous_secret_expires_at!) });
      await services.audit.record(actor, {
        action: 'api_token.rotate',
        projectId: null,
        targetType: 'api_token',
        targetId: rotated.row.id,
        details: { name: rotated.row.name, overlap_seconds: overlap, previous_secret_expires_at: rotated.row.previous_secret_expires_at },
      });
      request.log.info({ apiTokenId: rotated.row.id, userId, overlapSeconds: overlap }, 'API token rotated');
      return toApiTokenBody(rotated.row, rotated.token);
    },
  );

  /** A scope may name only projects its user can see: a typo then fails at creation, not in CI. */
  async function checkedScope(userId: string, scope: TokenScope): Promise<TokenScope> {
    for (const entry of scope) {
      const [grant, project] = await Promise.all([
        loadGrant(services, userId, entry.projectId),
        services.projects.find(entry.projectId),
      ]);
      if (!project || (!grant.isInstanceAdmin && grant.projectRole === null)) {
        throw new ApiError('invalid_request', `You have no access to project "${entry.projectId}".`, { field: 'scope' });
      }
    }
    return scope;
  }

  app.delete(
    '/users/:user_id/api-tokens/:token_id',
    {
      config: { requires: 'user:api-tokens' },
      schema: {
        operationId: 'delete-api-token',
        tags,
        params: ApiTokenParams,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const userId = userScope(request).userId;
      const tokenId = request.params.token_id;
      // A scoped token may give itself up, but not cut off the rest of its user's automation.
      if (principal.apiTokenId !== tokenId) unscoped(principal, 'delete other API tokens');
      const token = await services.apiTokens.findLive(userId, tokenId);
      const actor = await actorOf(services.audit, request);
      if (!token || !(await services.apiTokens.revoke(userId, tokenId))) throw new ApiError('not_found', 'API token not found.');
      await services.revocations.announce({ kind: 'api_token', id: tokenId });
      await services.audit.record(actor, { action: 'api_token.delete', projectId: null, targetType: 'api_token', targetId: tokenId, details: { name: token.name } });
      request.log.info({ apiTokenId: tokenId, userId }, 'API token revoked');
      return reply.status(204).send(null);
    },
  );
};
