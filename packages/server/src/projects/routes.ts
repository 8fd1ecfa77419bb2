import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { projectScope } from '../access/route-requirements.js';
import { loadGrant, withinScope } from '../access/grants.js';
import { actorOf } from '../audit/audit-log.js';
import { removeProjectFiles } from './project-files.js';
import { accepted, acceptedResponse, CreateProjectBody, ProjectParams, ProjectSchema, UpdateProjectBody } from './schemas.js';
import { presentProject, projectContext } from './present.js';
import { checkBranchName } from '../environments/branch-names.js';

export const projectRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'audit' | 'backupStorage' | 'config' | 'database' | 'logger' | 'projectAccess' | 'projects' | 'secrets' | 'users' | 'vendor'> }> = async (app, { services }) => {
  const { db } = services.database;
  const context = projectContext(services);
  const tags = ['Projects'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/projects',
    { config: { requires: 'authenticated' }, schema: { operationId: 'list-projects', tags, summary: 'Projects the caller can see', response: { 200: Type.Array(ProjectSchema), ...errors } } },
    async (request) => {
      const principal = principalOf(request);
      const admin = await services.users.isAdmin(principal.userId);
      const projects = withinScope(await services.projects.listVisible(principal.userId, admin), principal.scope);
      return Promise.all(projects.map(async (p) => presentProject(p, await loadGrant(services, principal.userId, p.id, principal.scope), context)));
    },
  );

  app.post(
    '/projects',
    {
      config: { requires: 'project:create' },
      schema: {
        operationId: 'create-project',
        tags,
        summary: 'Create a project with a production `main` environment (instance admins)',
        body: CreateProjectBody,
        response: { 201: acceptedResponse(ProjectSchema), ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const defaultBranch = request.body.default_branch ?? 'main';
      checkBranchName(defaultBranch, 'default_branch');
      const actor = await actorOf(services.audit, request);
      const { project } = await db.transaction().execute(async (trx) => {
        const created = await services.projects.create(trx, { title: request.body.title.trim(), ownerId: principal.userId, defaultBranch });
        await services.audit.recordIn(trx, actor, { action: 'project.create', projectId: created.project.id, targetType: 'project', targetId: created.project.id, details: { title: created.project.title } });
        return created;
      });
      await services.database.changes.publish('environment', project.id);
      const grant = await loadGrant(services, principal.userId, project.id);
      return reply.status(201).send(accepted(201, presentProject(project, grant, context)));
    },
  );

  app.get(
    '/projects/:projectId',
    { config: { requires: 'project:view' }, schema: { operationId: 'get-projects', tags, params: ProjectParams, response: { 200: ProjectSchema, ...errors } } },
    async (request) => {
      const { project, grant } = projectScope(request);
      return presentProject(project, grant, context);
    },
  );

  app.patch(
    '/projects/:projectId',
    {
      config: { requires: 'project:edit' },
      schema: { operationId: 'update-projects', tags, params: ProjectParams, body: UpdateProjectBody, response: { 200: acceptedResponse(ProjectSchema), ...errors } },
    },
    async (request) => {
      const { project, grant } = projectScope(request);
      const actor = await actorOf(services.audit, request);
      const title = request.body.title.trim();
      await db.transaction().execute(async (trx) => {
        await services.projects.updateTitle(trx, project.id, title);
        await services.audit.recordIn(trx, actor, { action: 'project.update', projectId: project.id, targetType: 'project', targetId: project.id, details: { title } });
      });
      const updated = await services.projects.find(project.id);
      if (!updated) throw new ApiError('not_found', 'Project not found.');
      return accepted(200, presentProject(updated, grant, context));
    },
  );

  app.delete(
    '/projects/:projectId',
    {
      config: { requires: 'project:delete' },
      schema: {
        operationId: 'delete-projects',
        tags,
        summary: 'Delete the project with its environments, code, data, backups and activities (owner or instance admin); the audit trail stays',
        params: ProjectParams,
        response: { 200: acceptedResponse(ProjectSchema), ...errors, 409: ErrorBody },
      },
    },
    async (request) => {
      const { project } = projectScope(request);
      const actor = await actorOf(services.audit, request);
      await db.transaction().execute(async (trx) => {
        if (await services.projects.hasRunningActivity(trx, project.id)) {
          throw new ApiError('conflict', 'An activity of this project is running. Wait for it to finish, or cancel it, then delete the project.');
        }
        await services.projects.delete(trx, project.id);
        await services.audit.recordIn(trx, actor, { action: 'project.delete', projectId: project.id, targetType: 'project', targetId: project.id, details: { title: project.title } });
      });
      await removeProjectFiles(services, project.id);
      await services.database.changes.publish('environment', project.id);
      return accepted(200);
    },
  );
};
