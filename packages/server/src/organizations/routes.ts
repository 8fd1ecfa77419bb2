import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { halLinks, segment } from '../http/hal.js';
import { RefQuery } from '../access/schemas.js';
import { verifiedRefIds } from '../access/ref-links.js';
import { instanceOrganizationId, loadInstanceOrganization } from './instance-organization.js';
import { OrganizationParams, OrganizationReferenceSchema, OrganizationSchema } from './schemas.js';

/**
 * The instance's one organization, as Platform.sh clients read it. Every signed-in user may read
 * it: it names the instance and its first admin, nothing a member could not learn otherwise.
 */
export const organizationRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'config' | 'users' | 'secrets' | 'vendor'> }> = async (app, { services }) => {
  const key = services.secrets.tokenHmacKey;
  const organizationId = instanceOrganizationId(key);
  const tags = ['Organizations'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/organizations/:organization_id',
    { config: { requires: 'authenticated' }, schema: { operationId: 'get-org', tags, summary: 'The instance organization (by id, or name=<name>)', params: OrganizationParams, response: { 200: OrganizationSchema, ...errors } } },
    async (request) => {
      const organization = await loadInstanceOrganization(services.users, key, services.vendor);
      const wanted = request.params.organization_id;
      if (wanted !== organization.id && wanted !== `name=${organization.name}`) throw new ApiError('not_found', 'Organization not found.');
      return { ...organization, capabilities: [], _links: halLinks([['self', `${services.config.publicUrl}/organizations/${segment(organization.id)}`]]) };
    },
  );

  app.get(
    '/ref/organizations',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'list-referenced-orgs',
        tags,
        summary: 'Organizations named by a signed reference link',
        querystring: RefQuery,
        response: { 200: Type.Record(Type.String(), OrganizationReferenceSchema), ...errors },
      },
    },
    async (request) => {
      const ids = verifiedRefIds(key, 'organizations', request.query.in, request.query.sig);
      if (!ids.includes(organizationId)) return {};
      return { [organizationId]: await loadInstanceOrganization(services.users, key, services.vendor) };
    },
  );
};
