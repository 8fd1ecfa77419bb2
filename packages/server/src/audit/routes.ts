import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ErrorBody } from '../http/errors.js';
import { projectScope } from '../access/route-requirements.js';
import { ProjectIdParams } from '../access/schemas.js';
import { AuditEntrySchema, AuditQuery, presentAuditEntry } from './schemas.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'audit'> }> = async (app, { services }) => {
  const tags = ['Audit'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/projects/:project_id/audit',
    {
      config: { requires: 'audit:view' },
      schema: { operationId: 'list-project-audit', tags, summary: 'Who changed what in the project, newest first (project admins)', params: ProjectIdParams, querystring: AuditQuery, response: { 200: Type.Array(AuditEntrySchema), ...errors } },
    },
    async (request) => {
      const { project } = projectScope(request);
      const entries = await services.audit.list({ projectId: project.id, limit: request.query.count ?? 100, before: request.query.before });
      return entries.map(presentAuditEntry);
    },
  );

  app.get(
    '/users/me/audit',
    { config: { requires: 'authenticated' }, schema: { operationId: 'list-my-audit', tags, summary: "The caller's own actions, newest first", querystring: AuditQuery, response: { 200: Type.Array(AuditEntrySchema), ...errors } } },
    async (request) => {
      const entries = await services.audit.list({ actorId: principalOf(request).userId, limit: request.query.count ?? 100, before: request.query.before });
      return entries.map(presentAuditEntry);
    },
  );
};
