import { Type, type Static } from 'typebox';
import type { TrustPolicyRow } from '../db/schema.js';
import { TokenScopeSchema, deserializeTokenScope, tokenScopeToBody } from '../access/token-scope.js';

const ClaimName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' });
const ClaimPattern = Type.String({ minLength: 1, maxLength: 500, description: 'An exact value, or a glob where `*` matches any run of characters.' });

export const ClaimConditionsSchema = Type.Record(ClaimName, ClaimPattern, {
  minProperties: 1,
  maxProperties: 20,
  additionalProperties: false,
  description: 'Claims the id-token must carry: claim name → exact value or glob (`refs/heads/*`). Every condition must hold.',
});

export const TrustPolicySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    issuer: Type.String({ description: 'The identity provider, exactly as in the id-token `iss` claim.' }),
    audience: Type.String({ description: 'What the id-token `aud` claim must contain.' }),
    conditions: ClaimConditionsSchema,
    scope: Type.Union([TokenScopeSchema, Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    created_by: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'TrustPolicy', description: 'Lets a CI job exchange its OIDC id-token for an access token of this user (RFC 8693), with no stored secret.' },
);
export type TrustPolicyBody = Static<typeof TrustPolicySchema>;

export const CreateTrustPolicyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    issuer: Type.String({ minLength: 8, maxLength: 500, description: 'An https URL (http only for loopback hosts).' }),
    audience: Type.String({ minLength: 1, maxLength: 500 }),
    conditions: ClaimConditionsSchema,
    scope: Type.Optional(Type.Union([TokenScopeSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateTrustPolicyRequest = Static<typeof CreateTrustPolicyBody>;

export const TrustPolicyParams = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 64, description: 'A user id, or `me` for the caller.' }),
  policy_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export function toTrustPolicyBody(row: TrustPolicyRow): TrustPolicyBody {
  const scope = deserializeTokenScope(row.scope);
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    audience: row.audience,
    conditions: JSON.parse(row.conditions) as Record<string, string>,
    scope: scope ? tokenScopeToBody(scope) : null,
    created_at: row.created_at,
    created_by: row.created_by,
  };
}
