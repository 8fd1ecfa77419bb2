import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProjectRoleSchema } from '@pier/api/vocabulary-schemas';
import type { Services } from '../services.js';
import type { Project } from '../db/schema.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { halLinks, segment } from '../http/hal.js';
import { LinksSchema } from '../projects/schemas.js';
import { projectScope } from './route-requirements.js';
import { fromColumns } from './permissions.js';
import { type AccessWithUser } from './store.js';
import { UserAccessParams } from './schemas.js';

/**
 * The pre-organizations project access list (`PLATFORMSH_CLI_API_ORGANIZATIONS=0`): one item per
 * user with its project role, and the user embedded. Read-only: changes go through user-access.
 */
const LegacyProjectAccessSchema = Type.Object(
  {
    id: Type.String({ description: 'The user id' }),
    role: ProjectRoleSchema,
    _embedded: Type.Object({
      users: Type.Array(
        Type.Object({
          id: Type.String(),
          email: Type.String(),
          display_name: Type.String(),
          created_at: Type.String({ format: 'date-time' }),
          updated_at: Type.String({ format: 'date-time' }),
        }),
      ),
    }),
    _links: LinksSchema,
  },
  { title: 'ProjectAccess' },
);

export const legacyAccessRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'config' | 'projectAccess'> }> = async (app, { services }) => {
  const baseUrl = services.config.publicUrl;
  const tags = ['User Access'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const ProjectParams = Type.Object({ project_id: Type.String({ minLength: 1, maxLength: 64 }) });

  function present(row: AccessWithUser, project: Project) {
    const name = `${row.first_name} ${row.last_name}`.trim() || row.username;
    return {
      id: row.user_id,
      role: fromColumns(row).role,
      _embedded: { users: [{ id: row.user_id, email: row.email, display_name: name, created_at: row.granted_at, updated_at: row.updated_at }] },
      _links: halLinks([['self', `${baseUrl}/projects/${segment(project.id)}/access/${segment(row.user_id)}`]]),
    };
  }

  app.get(
    '/projects/:project_id/access',
    { config: { requires: 'access:view' }, schema: { operationId: 'list-project-access-legacy', tags, summary: 'Project roles, the legacy way', params: ProjectParams, response: { 200: Type.Array(LegacyProjectAccessSchema), ...errors } } },
    async (request) => {
      const { project } = projectScope(request);
      return (await services.projectAccess.list(project.id)).map((row) => present(row, project));
    },
  );

  app.get(
    '/projects/:project_id/access/:user_id',
    { config: { requires: 'access:view' }, schema: { operationId: 'get-project-access-legacy', tags, params: UserAccessParams, response: { 200: LegacyProjectAccessSchema, ...errors } } },
    async (request) => {
      const { project } = projectScope(request);
      const row = await services.projectAccess.find(project.id, request.params.user_id);
      if (!row) throw new ApiError('not_found', 'This user has no access to the project.');
      return present(row, project);
    },
  );
};
