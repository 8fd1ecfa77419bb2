import type { Insertable, Selectable } from 'kysely';

/**
 * Column types shared by SQLite and PostgreSQL: timestamps are ISO-8601 UTC strings (they sort as
 * text on both) and flags are 0/1 integers, so one set of queries runs on either dialect.
 */
export type Timestamp = string;
export type Flag = 0 | 1;

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  password_hash: string | null;
  is_admin: Flag;
  email_verified: Flag;
  deactivated: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  mfa_on_creation: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  last_used_ip: string | null;
  /** Deleted tokens are kept, revoked, until every access token minted from them has expired. */
  revoked_at: Timestamp | null;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  /** PKCS#8 PEM, encrypted with the instance secrets key. */
  private_key: string;
  public_jwk: string;
  created_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface RevokedAccessTokensTable {
  jti: string;
  expires_at: Timestamp;
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  signing_keys: SigningKeysTable;
  sessions: SessionsTable;
  revoked_access_tokens: RevokedAccessTokensTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
