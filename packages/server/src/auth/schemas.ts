import { Type, type Static } from 'typebox';
import type { ApiTokenRow } from '../db/schema.js';
import { TokenScopeSchema, type TokenScopeBody } from '../access/token-scope.js';
import { AllowedIpsSchema } from './address-binding.js';

export const ApiTokenSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    mfa_on_creation: Type.Boolean(),
    token: Type.Optional(Type.String({ description: 'The token in plain text (only in the creation response).' })),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('expired')], { description: 'Expired tokens stay listed until deleted; they no longer exchange.' }),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_used_ip: Type.Union([Type.String(), Type.Null()]),
    scope: Type.Optional(TokenScopeSchema),
    allowed_ips: Type.Optional(AllowedIpsSchema),
    rotated_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    previous_secret_expires_at: Type.Optional(
      Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'After a rotation: until when the previous secret still works.' }),
    ),
  },
  { title: 'ApiToken' },
);
export type ApiTokenBody = Static<typeof ApiTokenSchema>;

export const CreateApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    scope: Type.Optional(TokenScopeSchema),
    allowed_ips: Type.Optional(AllowedIpsSchema),
  },
  { additionalProperties: false },
);

export const RotateApiTokenBody = Type.Object(
  {
    overlap_seconds: Type.Integer({
      minimum: 0,
      maximum: 30 * 24 * 3600,
      description: 'How long the old secret keeps working (0: it stops now). At most 30 days.',
    }),
  },
  { additionalProperties: false },
);

export const ApiTokenParams = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 64 }),
  token_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export function toApiTokenBody(row: ApiTokenRow, token?: string): ApiTokenBody {
  return {
    id: row.id,
    name: row.name,
    mfa_on_creation: row.mfa_on_creation === 1,
    ...(token ? { token } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
    expires_at: row.expires_at,
    status: row.expires_at !== null && row.expires_at <= new Date().toISOString() ? 'expired' : 'active',
    last_used_at: row.last_used_at,
    last_used_ip: row.last_used_ip,
    ...(row.scope ? { scope: JSON.parse(row.scope) as TokenScopeBody } : {}),
    ...(row.allowed_ips ? { allowed_ips: JSON.parse(row.allowed_ips) as string[] } : {}),
    rotated_at: row.rotated_at,
    previous_secret_expires_at: row.previous_secret_expires_at !== null && row.previous_secret_expires_at > new Date().toISOString() ? row.previous_secret_expires_at : null,
  };
}

/** RFC 6749 token request; fields are checked by the handler so errors stay OAuth-shaped. */
export const TokenRequestBody = Type.Object({
  grant_type: Type.Optional(Type.String()),
  api_token: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  // RFC 8693 token exchange (keyless CI): the CI's OIDC id-token.
  subject_token: Type.Optional(Type.String()),
  subject_token_type: Type.Optional(Type.String()),
  requested_token_type: Type.Optional(Type.String()),
  audience: Type.Optional(Type.String()),
});

export const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    expires_in: Type.Integer(),
    token_type: Type.Literal('bearer'),
    issued_token_type: Type.Optional(Type.String({ description: 'RFC 8693 exchanges only: urn:ietf:params:oauth:token-type:access_token' })),
  },
  { title: 'AccessTokenResponse' },
);

export const OAuthErrorBody = Type.Object(
  { error: Type.String(), error_description: Type.String() },
  { title: 'OAuthError' },
);

export const RevokeRequestBody = Type.Object({
  token: Type.Optional(Type.String()),
  token_type_hint: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
});

export const JwksResponse = Type.Object(
  { keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) },
  { title: 'JsonWebKeySet' },
);

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const SessionResponse = Type.Object({
  user_id: Type.String(),
  csrf_token: Type.String({ description: 'Send as the X-CSRF-Token header on state-changing requests.' }),
  expires_at: Type.String({ format: 'date-time' }),
});
