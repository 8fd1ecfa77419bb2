import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { halLinks } from '../http/hal.js';
import { LinksSchema } from '../projects/schemas.js';
import { isInstanceAdmin } from './grants.js';
import { formatPermissions, fromColumns } from './permissions.js';
import { listAccessOfUser } from './store.js';
import { refHref, verifiedRefIds } from './ref-links.js';
import { listVisibleProjects } from '../projects/store.js';

const ExtendedAccessItem = Type.Object({
  user_id: Type.String(),
  resource_id: Type.String(),
  resource_type: Type.Literal('project'),
  organization_id: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Array(Type.String()),
  granted_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const RefQuery = Type.Object({ in: Type.String({ maxLength: 20_000 }), sig: Type.String({ maxLength: 100 }) });

/** How Platform.sh clients list "my projects": extended-access, then the signed ref link. */
export const extendedAccessRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { db } = services.database;
  const key = services.secrets.tokenHmacKey;
  const baseUrl = services.config.publicUrl;
  const tags = ['User Access'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/users/:user_id/extended-access',
    {
      schema: {
        operationId: 'list-user-extended-access',
        tags,
        params: Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ 'filter[resource_type]': Type.Optional(Type.Literal('project')) }),
        response: { 200: Type.Object({ items: Type.Array(ExtendedAccessItem), _links: LinksSchema }), ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const userId = request.params.user_id === 'me' ? principal.userId : request.params.user_id;
      if (userId !== principal.userId && !(await isInstanceAdmin(db, principal.userId))) {
        throw new ApiError('forbidden', "Only instance admins can list another user's access.");
      }
      const rows = await listAccessOfUser(db, userId);
      return {
        items: rows.map((row) => ({
          user_id: row.user_id,
          resource_id: row.project_id,
          resource_type: 'project' as const,
          organization_id: null,
          permissions: formatPermissions(fromColumns(row)),
          granted_at: row.granted_at,
          updated_at: row.updated_at,
        })),
        _links: halLinks([
          ['self', `${baseUrl}/users/${encodeURIComponent(userId)}/extended-access`],
          ['ref:projects:0', refHref(baseUrl, key, 'projects', rows.map((r) => r.project_id))],
        ]),
      };
    },
  );

  app.get(
    '/ref/projects',
    {
      schema: {
        operationId: 'list-referenced-projects',
        tags,
        querystring: RefQuery,
        response: {
          200: Type.Record(Type.String(), Type.Object({ id: Type.String(), title: Type.String(), region: Type.String(), owner_id: Type.String(), created_at: Type.String(), updated_at: Type.String() })),
          ...errors,
        },
      },
    },
    async (request) => {
      const ids = new Set(verifiedRefIds(key, 'projects', request.query.in, request.query.sig));
      // The signature proves the server wrote the list, not that the caller may still read it:
      // a link passed on, or kept after access was removed, shows only what the caller sees now.
      const principal = principalOf(request);
      const visible = ids.size ? await listVisibleProjects(db, principal.userId, await isInstanceAdmin(db, principal.userId)) : [];
      const projects = visible.filter((p) => ids.has(p.id));
      return Object.fromEntries(
        projects.map((p) => [p.id, { id: p.id, title: p.title, region: 'local', owner_id: p.owner_id, created_at: p.created_at, updated_at: p.updated_at }]),
      );
    },
  );
};
