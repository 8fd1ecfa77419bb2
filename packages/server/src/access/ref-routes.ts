import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { ErrorBody } from '../http/errors.js';
import { instanceOrganizationId } from '../organizations/instance-organization.js';
import { verifiedRefIds } from './ref-links.js';
import { withinScope } from './grants.js';
import { principalOf } from '../http/authenticate.js';
import { ProjectReferenceSchema, RefQuery, UserReferenceSchema } from './schemas.js';

/**
 * What Platform.sh clients resolve `ref:projects:0` and `ref:users:0` links with. The ids come
 * from a link the server signed; the signature proves the server wrote the list, not that the
 * caller may still read it, so projects are those of the list the caller sees now.
 */
export const refRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'projects' | 'secrets' | 'users'> }> = async (app, { services }) => {
  const key = services.secrets.tokenHmacKey;
  const organizationId = instanceOrganizationId(key);
  const tags = ['References'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

  app.get(
    '/ref/projects',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'list-referenced-projects',
        tags,
        summary: 'Projects named by a signed reference link',
        querystring: RefQuery,
        response: { 200: Type.Record(Type.String(), ProjectReferenceSchema), ...errors },
      },
    },
    async (request) => {
      const ids = new Set(verifiedRefIds(key, 'projects', request.query.in, request.query.sig));
      // A link passed on, or kept after access was removed, shows only what the caller sees now.
      const principal = principalOf(request);
      const visible = ids.size ? withinScope(await services.projects.listVisible(principal.userId, await services.users.isAdmin(principal.userId)), principal.scope) : [];
      const projects = visible.filter((p) => ids.has(p.id));
      return Object.fromEntries(
        projects.map((p) => [
          p.id,
          {
            id: p.id,
            organization_id: organizationId,
            subscription_id: p.id,
            region: 'local',
            title: p.title,
            type: 'grid' as const,
            plan: 'development',
            status: 'active' as const,
            created_at: p.created_at,
            updated_at: p.updated_at,
          },
        ]),
      );
    },
  );

  app.get(
    '/ref/users',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'list-referenced-users',
        tags,
        summary: 'Users named by a signed reference link (user-access lists carry one)',
        querystring: RefQuery,
        response: { 200: Type.Record(Type.String(), UserReferenceSchema), ...errors },
      },
    },
    async (request) => {
      const ids = verifiedRefIds(key, 'users', request.query.in, request.query.sig);
      const users = await services.users.referencesByIds(ids);
      return Object.fromEntries(users.map((u) => [u.id, { ...u, mfa_enabled: false, sso_enabled: false }]));
    },
  );
};
