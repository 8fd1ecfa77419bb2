import { Type, type Static } from 'typebox';
import { BranchableEnvironmentTypeSchema, EnvironmentTypeSchema as EnvironmentTypeName } from '@pier/api/vocabulary-schemas';
import { LinksSchema } from '../projects/schemas.js';

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
    is_pr: Type.Boolean(),
    has_code: Type.Boolean(),
    has_deployment: Type.Boolean(),
    has_remote: Type.Boolean(),
    has_domains: Type.Boolean(),
    has_staged_activities: Type.Boolean(),
    head_commit: Type.Union([Type.String(), Type.Null()]),
    clone_parent_on_create: Type.Boolean(),
    deployment_target: Type.String(),
    // Platform.sh fields for features Pier does not have (domains, HTTP access, sizing, rolling
    // deployments): present with their "off" values because clients read them.
    deployment_state: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'Always null' }),
    default_domain: Type.Union([Type.String(), Type.Null()]),
    edge_hostname: Type.String(),
    http_access: Type.Object({
      is_enabled: Type.Boolean(),
      addresses: Type.Array(Type.Object({ permission: Type.Union([Type.Literal('allow'), Type.Literal('deny')]), address: Type.String() })),
      basic_auth: Type.Record(Type.String(), Type.String()),
    }),
    enable_smtp: Type.Boolean(),
    restrict_robots: Type.Boolean(),
    supports_restrict_robots: Type.Boolean(),
    can_rolling_deploy: Type.Boolean(),
    supports_rolling_deployments: Type.Boolean(),
    sizing: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'Always null' }),
    resources_overrides: Type.Object({}, { additionalProperties: false }),
    max_instance_count: Type.Union([Type.Integer(), Type.Null()]),
    merge_info: Type.Object({
      commits_ahead: Type.Union([Type.Integer(), Type.Null()]),
      commits_behind: Type.Union([Type.Integer(), Type.Null()]),
      parent_ref: Type.Union([Type.String(), Type.Null()]),
    }),
    attributes: Type.Record(Type.String(), Type.String()),
    last_active_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_backup_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
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
    type: Type.Optional(BranchableEnvironmentTypeSchema),
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

export const EnvironmentSettingsSchema = Type.Object(
  {
    enable_manual_deployments: Type.Boolean({ description: 'Always false: every push and change deploys' }),
    _links: LinksSchema,
  },
  { title: 'EnvironmentSettings' },
);
