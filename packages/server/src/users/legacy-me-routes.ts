import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { segment } from '../http/hal.js';
import { withinScope } from '../access/grants.js';

const ProjectStubSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  title: Type.String(),
  region: Type.String(),
  region_label: Type.String(),
  endpoint: Type.String({ description: 'The project resource' }),
  owner: Type.String({ format: 'uuid' }),
  status: Type.String(),
  vendor: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});

const CurrentUserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    uuid: Type.String({ format: 'uuid' }),
    username: Type.String(),
    display_name: Type.String(),
    mail: Type.String({ format: 'email' }),
    ssh_keys: Type.Array(Type.Unknown(), { description: 'Always empty: Pier signs SSH certificates instead' }),
    has_key: Type.Boolean(),
    projects: Type.Array(ProjectStubSchema),
    roles: Type.Array(Type.String()),
  },
  { title: 'CurrentUser' },
);

/** The deprecated `GET /me`, which Platform.sh clients read for the project list in legacy mode. */
export const legacyMeRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'config' | 'projects' | 'users' | 'vendor'> }> = async (app, { services }) => {
  const baseUrl = services.config.publicUrl;

  app.get(
    '/me',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'get-current-user-deprecated',
        tags: ['Users'],
        summary: 'The caller and their projects, the legacy way (prefer /users/me and extended-access)',
        response: { 200: CurrentUserSchema, 401: ErrorBody },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const userId = principal.userId;
      const user = await services.users.findRecentById(userId);
      if (!user) throw new ApiError('invalid_token', 'The user of this access token no longer exists.');
      const projects = withinScope(await services.projects.listVisible(user.id, await services.users.isAdmin(user.id)), principal.scope);
      return {
        id: user.id,
        uuid: user.id,
        username: user.username,
        display_name: `${user.first_name} ${user.last_name}`.trim() || user.username,
        mail: user.email,
        ssh_keys: [],
        has_key: false,
        projects: projects.map((p) => ({
          id: p.id,
          name: p.title,
          title: p.title,
          region: 'local',
          region_label: 'Local',
          endpoint: `${baseUrl}/projects/${segment(p.id)}`,
          owner: p.owner_id,
          status: 'active',
          vendor: services.vendor.projectVendor,
          created_at: p.created_at,
        })),
        roles: [],
      };
    },
  );
};
