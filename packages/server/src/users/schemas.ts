import { Type, type Static } from 'typebox';
import type { User } from '../db/schema.js';

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    deactivated: Type.Boolean(),
    namespace: Type.String(),
    username: Type.String(),
    email: Type.String({ format: 'email' }),
    email_verified: Type.Boolean(),
    first_name: Type.String(),
    last_name: Type.String(),
    // picture, website (URIs) and country (two letters) are left out: Pier does not know them,
    // and an empty string would not be a valid value of any of them.
    company: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    mfa_enabled: Type.Boolean(),
    sso_enabled: Type.Boolean(),
    phone_number_verified: Type.Boolean(),
  },
  { title: 'User', description: 'A user account (people and machine users alike).' },
);
export type UserBody = Static<typeof UserSchema>;

export function toUserBody(user: User): UserBody {
  return {
    id: user.id,
    deactivated: user.deactivated === 1,
    namespace: 'pier',
    username: user.username,
    email: user.email,
    email_verified: user.email_verified === 1,
    first_name: user.first_name,
    last_name: user.last_name,
    company: '',
    created_at: user.created_at,
    updated_at: user.updated_at,
    mfa_enabled: false,
    sso_enabled: false,
    phone_number_verified: false,
  };
}

export const UserIdParams = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 64, description: 'A user id, or `me` for the caller.' }),
});
