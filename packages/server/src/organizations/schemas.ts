import { Type } from 'typebox';
import { LinksSchema } from '../projects/schemas.js';

const organizationFields = {
  id: Type.String({ description: 'ULID-shaped, derived from the instance secret' }),
  type: Type.Literal('flexible'),
  name: Type.String(),
  label: Type.String(),
  vendor: Type.String(),
  owner_id: Type.Optional(Type.String({ format: 'uuid', description: 'The first instance admin' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};

export const OrganizationReferenceSchema = Type.Object(organizationFields, { title: 'OrganizationReference' });

export const OrganizationSchema = Type.Object(
  {
    ...organizationFields,
    capabilities: Type.Array(Type.String(), { description: 'None: Pier has no teams or billing' }),
    _links: LinksSchema,
  },
  { title: 'Organization', description: 'A Pier instance is one organization holding every project.' },
);

export const OrganizationParams = Type.Object({ organization_id: Type.String({ minLength: 1, maxLength: 64 }) });
