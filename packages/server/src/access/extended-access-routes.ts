import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { ErrorBody } from '../http/errors.js';
import { halLinks } from '../http/hal.js';
import { LinksSchema } from '../projects/schemas.js';
import { instanceOrganizationId } from '../organizations/instance-organization.js';
import { userScope } from './route-requirements.js';
import { formatPermissions, fromColumns } from './permissions.js';
import { refHref } from './ref-links.js';

const ExtendedAccessItem = Type.Object({
  user_id: Type.String({ format: 'uuid' }),
  resource_id: Type.String(),
  resource_type: Type.Literal('project'),
  organization_id: Type.String(),
  permissions: Type.Array(Type.String()),
  granted_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

/** How Platform.sh clients list "my projects": extended-access, then the signed ref links. */
export const extendedAccessRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'config' | 'projectAccess' | 'projects' | 'secrets' | 'users'> }> = async (app, { services }) => {
  const key = services.secrets.tokenHmacKey;
  const baseUrl = services.config.publicUrl;
  const organizationId = instanceOrganizationId(key);
  const tags = ['User Access'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  /** Access rows, plus an admin grant on every other project for instance admins (who see them all). */
  async function accessOf(userId: string) {
    const rows = (await services.projectAccess.listOfUser(userId)).map((row) => ({
      projectId: row.project_id,
      permissions: formatPermissions(fromColumns(row)),
      grantedAt: row.granted_at,
      updatedAt: row.updated_at,
    }));
    if (!(await services.users.isAdmin(userId))) return rows;
    const listed = new Set(rows.map((r) => r.projectId));
    const others = await services.projects.listByAge();
    return [
      ...rows,
      ...others.filter((p) => !listed.has(p.id)).map((p) => ({ projectId: p.id, permissions: ['admin'], grantedAt: p.created_at, updatedAt: p.created_at })),
    ];
  }

  app.get(
    '/users/:user_id/extended-access',
    {
      config: { requires: 'user:access:view' },
      schema: {
        operationId: 'list-user-extended-access',
        tags,
        params: Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ 'filter[resource_type]': Type.Optional(Type.Literal('project')) }),
        response: { 200: Type.Object({ items: Type.Array(ExtendedAccessItem), _links: LinksSchema }), ...errors },
      },
    },
    async (request) => {
      const { principal, userId } = userScope(request);
      // The platform CLI lists projects from here: a scoped credential sees those in its scope.
      const access = (await accessOf(userId)).filter((row) => userId !== principal.userId || !principal.scope || principal.scope.some((entry) => entry.projectId === row.projectId));
      return {
        items: access.map((row) => ({
          user_id: userId,
          resource_id: row.projectId,
          resource_type: 'project' as const,
          organization_id: organizationId,
          permissions: row.permissions,
          granted_at: row.grantedAt,
          updated_at: row.updatedAt,
        })),
        _links: halLinks([
          ['self', `${baseUrl}/users/${encodeURIComponent(userId)}/extended-access`],
          ['ref:projects:0', refHref(baseUrl, key, 'projects', access.map((r) => r.projectId))],
          ['ref:organizations:0', refHref(baseUrl, key, 'organizations', access.length ? [organizationId] : [])],
        ]),
      };
    },
  );
};
