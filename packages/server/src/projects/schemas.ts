import { Type, type Static, type TSchema } from 'typebox';

export const LinksSchema = Type.Record(
  Type.String(),
  Type.Object({ href: Type.String(), method: Type.Optional(Type.String()) }),
  { description: 'HAL links; action links (#edit, #delete, ...) appear only when the caller may use them.' },
);

export const ProjectSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    owner: Type.String(),
    namespace: Type.String(),
    organization: Type.String({ description: 'The instance organization' }),
    vendor: Type.String({ description: 'Platform.sh clients filter projects by vendor' }),
    default_branch: Type.String(),
    status: Type.Object({ code: Type.String(), message: Type.String() }),
    timezone: Type.String(),
    region: Type.String(),
    repository: Type.Object({ url: Type.String({ description: 'git over SSH' }), client_ssh_key: Type.Union([Type.String(), Type.Null()]) }),
    default_domain: Type.Union([Type.String(), Type.Null()]),
    subscription: Type.Object({
      license_uri: Type.String(),
      storage: Type.Integer(),
      included_users: Type.Integer(),
      subscription_management_uri: Type.String(),
      restricted: Type.Boolean(),
      suspended: Type.Boolean(),
      user_licenses: Type.Integer(),
    }),
    maintenance: Type.Union([Type.Object({ next_maintenance: Type.String({ format: 'date-time' }) }), Type.Null()], { description: 'Always null' }),
    attributes: Type.Record(Type.String(), Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    _links: LinksSchema,
  },
  { title: 'Project' },
);
export type ProjectBody = Static<typeof ProjectSchema>;

export const ProjectParams = Type.Object({ projectId: Type.String({ minLength: 1, maxLength: 64 }) });

export const CreateProjectBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    default_branch: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._/-]+$' })),
  },
  { additionalProperties: false },
);

export const UpdateProjectBody = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
  { additionalProperties: false },
);

/** The Platform.sh project-API mutation response: `{status, code, _embedded: {entity, activities}}`. */
export function acceptedResponse<T extends TSchema>(entity: T) {
  return Type.Object({
    status: Type.String(),
    code: Type.Integer(),
    _embedded: Type.Object({ entity: Type.Optional(entity), activities: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
  });
}

export function accepted<T>(code: number, entity?: T) {
  return { status: code === 201 ? 'created' : 'OK', code, _embedded: { ...(entity === undefined ? {} : { entity }), activities: [] } };
}
