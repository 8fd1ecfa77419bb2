import { Type, type Static } from 'typebox';
import { LinksSchema } from '../projects/schemas.js';

export const EnvironmentTypeName = Type.Union([Type.Literal('production'), Type.Literal('staging'), Type.Literal('development')]);

export const EnvironmentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    machine_name: Type.String(),
    title: Type.String(),
    type: EnvironmentTypeName,
    parent: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
    project: Type.String(),
    is_main: Type.Boolean(),
    is_dirty: Type.Boolean(),
    has_code: Type.Boolean(),
    head_commit: Type.Union([Type.String(), Type.Null()]),
    deployment_target: Type.String(),
    attributes: Type.Record(Type.String(), Type.String()),
    last_active_at: Type.Union([Type.String(), Type.Null()]),
    last_backup_at: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    _links: LinksSchema,
  },
  { title: 'Environment' },
);
export type EnvironmentBody = Static<typeof EnvironmentSchema>;

export const EnvironmentParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  environmentId: Type.String({ minLength: 1, maxLength: 255 }),
});

export const BranchBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    type: Type.Optional(Type.Union([Type.Literal('development'), Type.Literal('staging')])),
    clone_parent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateEnvironmentBody = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
  { additionalProperties: false },
);

export const EnvironmentTypeSchema = Type.Object(
  { id: EnvironmentTypeName, attributes: Type.Record(Type.String(), Type.String()), _links: LinksSchema },
  { title: 'EnvironmentType' },
);

export const EnvironmentTypeParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  environmentTypeId: Type.String({ minLength: 1, maxLength: 32 }),
});
