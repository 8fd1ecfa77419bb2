import { Type } from 'typebox';
import type { AuditEntry } from '../db/schema.js';

export const AuditEntrySchema = Type.Object(
  {
    id: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    action: Type.String(),
    project_id: Type.Union([Type.String(), Type.Null()]),
    target: Type.Object({ type: Type.String(), id: Type.String() }),
    actor: Type.Object({
      user_id: Type.Union([Type.String(), Type.Null()]),
      email: Type.Union([Type.String(), Type.Null()]),
      auth_method: Type.String({ description: 'session | api_token | oidc (keyless CI exchange) | invitation | system' }),
      api_token_id: Type.Union([Type.String(), Type.Null()]),
      api_token_name: Type.Union([Type.String(), Type.Null()]),
      client_ip: Type.Union([Type.String(), Type.Null()]),
    }),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'AuditEntry' },
);

export const AuditQuery = Type.Object({
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  before: Type.Optional(Type.String({ maxLength: 64, description: 'Only entries older than this entry id' })),
});

export function presentAuditEntry(entry: AuditEntry) {
  return {
    id: entry.id,
    created_at: entry.created_at,
    action: entry.action,
    project_id: entry.project_id,
    target: { type: entry.target_type, id: entry.target_id },
    actor: {
      user_id: entry.actor_id,
      email: entry.actor_email,
      auth_method: entry.auth_method,
      api_token_id: entry.api_token_id,
      api_token_name: entry.api_token_name,
      client_ip: entry.client_ip,
    },
    details: JSON.parse(entry.details) as Record<string, unknown>,
  };
}
