import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { UserIdParams } from '../users/schemas.js';
import { actorOf } from '../audit/audit-log.js';
import { userScope } from '../access/route-requirements.js';
import { parseTokenScope } from '../access/token-scope.js';
import { CreateTrustPolicyBody, TrustPolicyParams, TrustPolicySchema, toTrustPolicyBody } from './schemas.js';
import { validateConditions } from './claim-conditions.js';
import { validateIssuerUrl } from './issuer-url.js';

/**
 * Trust policies belong to a user (usually a machine user): the user themself or an instance
 * admin manages them. A scoped credential may not: a policy would hand out access beyond it.
 */
export const trustPolicyRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'audit' | 'trustPolicies' | 'users'> }> = async (app, { services }) => {
  const tags = ['Trust Policies'];

  /** The user the route's requirement (`user:trust-policies`) let the caller manage; an instance admin may name one that does not exist. */
  async function managedUserId(request: FastifyRequest): Promise<string> {
    const { principal, userId } = userScope(request);
    if (userId !== principal.userId && !(await services.users.findById(userId))) throw new ApiError('not_found', 'User not found.');
    return userId;
  }

  app.get(
    '/users/:user_id/trust-policies',
    {
      config: { requires: 'user:trust-policies' },
      schema: {
        operationId: 'list-trust-policies',
        tags,
        summary: "A user's trust policies: CI identity providers whose id-tokens may be exchanged for this user's access tokens",
        params: UserIdParams,
        response: { 200: Type.Array(TrustPolicySchema), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const userId = await managedUserId(request);
      return (await services.trustPolicies.list(userId)).map(toTrustPolicyBody);
    },
  );

  app.post(
    '/users/:user_id/trust-policies',
    {
      config: { requires: 'user:trust-policies' },
      schema: {
        operationId: 'create-trust-policy',
        tags,
        summary: 'Trust a CI identity provider (issuer, audience, claim conditions) for keyless exchanges',
        params: UserIdParams,
        body: CreateTrustPolicyBody,
        response: { 201: TrustPolicySchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const userId = await managedUserId(request);
      const body = request.body;
      validateIssuerUrl(body.issuer);
      validateConditions(body.conditions);
      const scope = body.scope ? parseTokenScope(body.scope) : null;
      const actor = await actorOf(services.audit, request);
      const row = await services.trustPolicies.create({
        userId,
        name: body.name.trim(),
        issuer: body.issuer,
        audience: body.audience,
        conditions: body.conditions,
        scope,
        createdBy: principal.userId,
      });
      await services.audit.record(actor, {
        action: 'trust_policy.create',
        projectId: null,
        targetType: 'trust_policy',
        targetId: row.id,
        details: { user_id: userId, name: row.name, issuer: row.issuer, audience: row.audience, conditions: body.conditions, scope: body.scope ?? null },
      });
      request.log.info({ trustPolicyId: row.id, userId }, 'trust policy created');
      return reply.status(201).send(toTrustPolicyBody(row));
    },
  );

  app.get(
    '/users/:user_id/trust-policies/:policy_id',
    {
      config: { requires: 'user:trust-policies' },
      schema: {
        operationId: 'get-trust-policy',
        tags,
        params: TrustPolicyParams,
        response: { 200: TrustPolicySchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const userId = await managedUserId(request);
      const row = await services.trustPolicies.find(userId, request.params.policy_id);
      if (!row) throw new ApiError('not_found', 'Trust policy not found.');
      return toTrustPolicyBody(row);
    },
  );

  app.delete(
    '/users/:user_id/trust-policies/:policy_id',
    {
      config: { requires: 'user:trust-policies' },
      schema: {
        operationId: 'delete-trust-policy',
        tags,
        summary: 'Stop trusting an identity provider: new exchanges are refused at once; access tokens already issued expire on their own',
        params: TrustPolicyParams,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const userId = await managedUserId(request);
      const row = await services.trustPolicies.find(userId, request.params.policy_id);
      const actor = await actorOf(services.audit, request);
      if (!row || !(await services.trustPolicies.delete(userId, row.id))) throw new ApiError('not_found', 'Trust policy not found.');
      await services.audit.record(actor, {
        action: 'trust_policy.delete',
        projectId: null,
        targetType: 'trust_policy',
        targetId: row.id,
        details: { user_id: userId, name: row.name, issuer: row.issuer },
      });
      request.log.info({ trustPolicyId: row.id, userId }, 'trust policy deleted');
      return reply.status(204).send(null);
    },
  );
};
