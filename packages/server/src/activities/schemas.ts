import { Type } from 'typebox';
import { LinksSchema } from '../projects/schemas.js';

export const ActivitySchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    state: Type.Union([Type.Literal('pending'), Type.Literal('in_progress'), Type.Literal('complete'), Type.Literal('cancelled')]),
    result: Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Null()]),
    failure_reason: Type.Union([Type.Literal('error'), Type.Literal('shell'), Type.Null()]),
    completion_percent: Type.Integer({ minimum: 0, maximum: 100 }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    cancelled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    expires_at: Type.Null(),
    project: Type.String(),
    environments: Type.Array(Type.String()),
    parameters: Type.Record(Type.String(), Type.Unknown()),
    payload: Type.Record(Type.String(), Type.Unknown()),
    description: Type.String(),
    text: Type.String(),
    log: Type.Literal('', { description: 'Deprecated on Platform.sh: the log streams from _links.log' }),
    timings: Type.Record(Type.String(), Type.Number()),
    commands: Type.Array(Type.Object({ app: Type.String(), type: Type.String(), exit_code: Type.Integer() })),
    attempts: Type.Integer(),
    started_by: Type.Object(
      {
        user_id: Type.Union([Type.String(), Type.Null()]),
        email: Type.Union([Type.String(), Type.Null()]),
        auth_method: Type.String(),
        api_token_id: Type.Union([Type.String(), Type.Null()]),
        api_token_name: Type.Union([Type.String(), Type.Null()]),
      },
      { description: 'Pier addition: who started it, and with which API token' },
    ),
    _links: LinksSchema,
  },
  { title: 'Activity' },
);

// The Platform.sh CLI's --exclude-type sends every other known type (about 70) as `type=` values.
const list = (description: string) => Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { description, maxItems: 200 }));

export const ActivityListQuery = Type.Object({
  type: list('Activity type(s)'),
  state: list('pending | in_progress | complete | cancelled'),
  result: list('success | failure'),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  // Not `format: date-time`: the Platform.sh CLI sends `…+00:00` unencoded, so the `+` arrives as a space.
  starts_at: Type.Optional(Type.String({ maxLength: 64, description: 'Only activities created at or before this time (RFC 3339)' })),
});

export const ActivityParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  activityId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const EnvironmentActivityParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 64 }),
  environmentId: Type.String({ minLength: 1, maxLength: 255 }),
  activityId: Type.String({ minLength: 1, maxLength: 64 }),
});

/** Log lines are numbered by a 32-bit integer column; a bigger position cannot exist. */
const MAX_LOG_POSITION = 2_147_483_647;

export const LogQuery = Type.Object({
  start_at: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_LOG_POSITION, default: 0, description: 'Index of the first log line to send (resume)' })),
  max_items: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_LOG_POSITION, default: 0, description: '0: no limit' })),
  max_delay: Type.Optional(Type.Number({ minimum: -1, maximum: 86_400, default: -1, description: 'Seconds to wait for new lines; -1: until sealed' })),
});

export const LongOperationResponse = Type.Object(
  { status: Type.String(), code: Type.Integer(), _embedded: Type.Object({ activities: Type.Array(ActivitySchema) }) },
  { title: 'AcceptedActivities' },
);
