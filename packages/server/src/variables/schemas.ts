import { Type, type Static } from 'typebox';
import { LinksSchema } from '../projects/schemas.js';

const common = {
  id: Type.String({ description: 'Same as name' }),
  name: Type.String(),
  value: Type.Optional(Type.String({ description: 'Absent when the variable is sensitive' })),
  attributes: Type.Record(Type.String(), Type.String()),
  is_json: Type.Boolean(),
  is_sensitive: Type.Boolean(),
  visible_build: Type.Boolean(),
  visible_runtime: Type.Boolean(),
  application_scope: Type.Array(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  _links: LinksSchema,
};

export const ProjectVariableSchema = Type.Object(common, { title: 'ProjectVariable' });
export type ProjectVariableBody = Static<typeof ProjectVariableSchema>;

export const EnvironmentVariableSchema = Type.Object(
  {
    ...common,
    project: Type.String(),
    environment: Type.String(),
    inherited: Type.Boolean(),
    is_enabled: Type.Boolean(),
    is_inheritable: Type.Boolean(),
  },
  { title: 'EnvironmentVariable' },
);
export type EnvironmentVariableBody = Static<typeof EnvironmentVariableSchema>;

const writable = {
  value: Type.String({ maxLength: 100_000 }),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1000 }))),
  is_json: Type.Optional(Type.Boolean()),
  is_sensitive: Type.Optional(Type.Boolean()),
  visible_build: Type.Optional(Type.Boolean()),
  visible_runtime: Type.Optional(Type.Boolean()),
  application_scope: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
};

export const CreateProjectVariableBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 256 }), ...writable },
  { additionalProperties: false, title: 'ProjectVariableCreateInput' },
);
export const CreateEnvironmentVariableBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    ...writable,
    is_enabled: Type.Optional(Type.Boolean()),
    is_inheritable: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'EnvironmentVariableCreateInput' },
);
export const PatchProjectVariableBody = Type.Partial(Type.Object(writable), { additionalProperties: false, title: 'ProjectVariablePatch' });
export const PatchEnvironmentVariableBody = Type.Partial(
  Type.Object({ ...writable, is_enabled: Type.Boolean(), is_inheritable: Type.Boolean() }),
  { additionalProperties: false, title: 'EnvironmentVariablePatch' },
);
export type VariableInput = Static<typeof PatchEnvironmentVariableBody>;

export const ProjectVariableParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  projectVariableId: Type.String({ minLength: 1, maxLength: 256 }),
});
export const EnvironmentVariableParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  environmentId: Type.String({ minLength: 1, maxLength: 255 }),
  variableId: Type.String({ minLength: 1, maxLength: 256 }),
});

export const EffectiveQuery = Type.Object({
  effective: Type.Optional(Type.Union([Type.Literal('build'), Type.Literal('runtime')], { description: 'Show the resolved set (admins)' })),
});

export const EffectiveVariablesSchema = Type.Object(
  {
    phase: Type.Union([Type.Literal('build'), Type.Literal('runtime')]),
    variables: Type.Array(
      Type.Object({
        name: Type.String(),
        value: Type.Optional(Type.String()),
        is_sensitive: Type.Boolean(),
        is_json: Type.Boolean(),
        level: Type.Union([Type.Literal('project'), Type.Literal('environment')]),
        inherited: Type.Boolean(),
        source_environment: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    environment: Type.Record(Type.String(), Type.String(), { description: 'As the process will see it; sensitive values are shown as [Hidden: sensitive value]' }),
  },
  { title: 'EffectiveVariables' },
);
