import { Type } from 'typebox';
import { permissionPattern } from '@pier/api/vocabulary';
import { EnvironmentRoleSchema, EnvironmentTypeSchema, ProjectRoleSchema, TypePermissionSchema } from '@pier/api/vocabulary-schemas';
import { LinksSchema } from '../projects/schemas.js';

export const PermissionString = Type.String({
  pattern: permissionPattern,
  description: 'A project role (admin, viewer) or TYPE:ROLE, e.g. development:contributor',
});

export const UserProjectAccessSchema = Type.Object(
  {
    user_id: Type.String({ format: 'uuid' }),
    organization_id: Type.String(),
    project_id: Type.String(),
    project_title: Type.String(),
    permissions: Type.Array(Type.String()),
    granted_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    user: Type.Object(
      { id: Type.String(), username: Type.String(), email: Type.String(), first_name: Type.String(), last_name: Type.String() },
      { description: 'Pier addition: the user, so clients need no second request.' },
    ),
    _links: LinksSchema,
  },
  { title: 'UserProjectAccess' },
);

export const UserAccessCollection = Type.Object({ items: Type.Array(UserProjectAccessSchema), _links: LinksSchema }, { title: 'UserProjectAccessCollection' });

export const GrantAccessBody = Type.Array(
  Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 64 }), permissions: Type.Array(PermissionString, { minItems: 1, maxItems: 4 }) }, { additionalProperties: false }),
  { minItems: 1, maxItems: 100 },
);

export const UpdateAccessBody = Type.Object(
  { permissions: Type.Array(PermissionString, { minItems: 1, maxItems: 4 }) },
  { additionalProperties: false },
);

export const UserAccessParams = Type.Object({
  project_id: Type.String({ minLength: 1, maxLength: 64 }),
  user_id: Type.String({ minLength: 1, maxLength: 64 }),
});
export const ProjectIdParams = Type.Object({ project_id: Type.String({ minLength: 1, maxLength: 64 }) });

export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    role: Type.Optional(ProjectRoleSchema),
    permissions: Type.Optional(Type.Array(Type.Object({ type: EnvironmentTypeSchema, role: EnvironmentRoleSchema }, { additionalProperties: false }), { maxItems: 3 })),
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const InvitationSchema = Type.Object(
  {
    id: Type.String(),
    link: Type.Optional(
      Type.String({ description: 'Pier addition: the sign-up link of a pending invitation, shown to project admins when no mail server (SMTP_URL) delivers it.' }),
    ),
    state: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('cancelled')]),
    project_id: Type.String(),
    role: Type.String(),
    email: Type.String(),
    owner: Type.Object({ id: Type.String(), display_name: Type.String() }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    expires_at: Type.String({ format: 'date-time' }),
    permissions: Type.Array(TypePermissionSchema),
    environments: Type.Array(Type.Unknown()),
    _links: LinksSchema,
  },
  { title: 'ProjectInvitation' },
);

export const InvitationParams = Type.Object({
  project_id: Type.String({ minLength: 1, maxLength: 64 }),
  invitation_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export const InvitationListQuery = Type.Object({
  'filter[state]': Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('cancelled')])),
});

export const InvitationTokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });

export const PublicInvitationSchema = Type.Object(
  {
    email: Type.String(),
    project_id: Type.String(),
    project_title: Type.String(),
    inviter: Type.String(),
    permissions: Type.Array(Type.String()),
    expires_at: Type.String({ format: 'date-time' }),
    existing_account: Type.Boolean(),
  },
  { title: 'InvitationPreview' },
);

export const AcceptInvitationBody = Type.Object(
  {
    password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'A new account: the password to set (12 characters or more). An existing account: its password, unless logged in as it.' }),
    ),
    first_name: Type.Optional(Type.String({ maxLength: 100 })),
    last_name: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const AcceptedInvitationSchema = Type.Object({
  user_id: Type.String(),
  project_id: Type.String(),
  permissions: Type.Array(Type.String()),
  csrf_token: Type.String({ description: 'The new console session (cookie set alongside).' }),
});

/** The query of a signed reference link (`/ref/users?in=a,b&sig=…`). */
export const RefQuery = Type.Object({ in: Type.String({ maxLength: 20_000 }), sig: Type.String({ maxLength: 100 }) });

export const ProjectReferenceSchema = Type.Object(
  {
    id: Type.String(),
    organization_id: Type.String(),
    subscription_id: Type.String({ description: 'Pier has no subscriptions: the project id' }),
    region: Type.String(),
    title: Type.String(),
    type: Type.Literal('grid'),
    plan: Type.String(),
    status: Type.Literal('active'),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { title: 'ProjectReference' },
);

export const UserReferenceSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    email: Type.String({ format: 'email' }),
    first_name: Type.String(),
    last_name: Type.String(),
    mfa_enabled: Type.Boolean(),
    sso_enabled: Type.Boolean(),
  },
  { title: 'UserReference' },
);
