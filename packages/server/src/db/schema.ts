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
  /** When the user was last deactivated: every credential issued before it is dead, even after reactivation. */
  deactivated_at: Timestamp | null;
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
  /** JSON TokenScope (access/token-scope.ts): the projects and roles this token is limited to; null = all of its user's. */
  scope: string | null;
  /** JSON array of CIDRs the token may be used from; null = anywhere. */
  allowed_ips: string | null;
  /** After a rotation, the old secret's hash, accepted until previous_secret_expires_at. */
  previous_token_hash: string | null;
  previous_secret_expires_at: Timestamp | null;
  rotated_at: Timestamp | null;
  expiry_notice_7d_at: Timestamp | null;
  expiry_notice_1d_at: Timestamp | null;
}

/** A CI identity provider a machine user trusts: its id-tokens matching these exchange for access tokens. */
export interface TrustPoliciesTable {
  id: string;
  user_id: string;
  name: string;
  /** The issuer URL, exactly as in the id-token's `iss`. */
  issuer: string;
  audience: string;
  /** JSON object: claim name → exact value or glob (`*` any run of characters). */
  conditions: string;
  /** JSON TokenScope, as for API tokens. */
  scope: string | null;
  created_at: Timestamp;
  created_by: string | null;
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

import type { EnvironmentRole, EnvironmentType, ProjectRole } from '@pier/api/vocabulary';

export type { EnvironmentRole, EnvironmentType, ProjectRole };

export interface ProjectsTable {
  id: string;
  title: string;
  owner_id: string;
  default_branch: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EnvironmentsTable {
  project_id: string;
  id: string;
  machine_name: string;
  title: string;
  type: EnvironmentType;
  parent: string | null;
  status: 'active' | 'inactive';
  head_commit: string | null;
  /** The safe-backup activity that holds writes to this environment, if any. */
  writes_paused_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Roles per environment type sit in their own columns: one row answers "what may U do in P". */
export interface EnvironmentTypeRoles {
  production_role: EnvironmentRole | null;
  staging_role: EnvironmentRole | null;
  development_role: EnvironmentRole | null;
}

export interface ProjectAccessTable extends EnvironmentTypeRoles {
  project_id: string;
  user_id: string;
  role: ProjectRole;
  granted_at: Timestamp;
  updated_at: Timestamp;
}

export interface InvitationsTable extends EnvironmentTypeRoles {
  id: string;
  project_id: string;
  email: string;
  role: ProjectRole;
  state: 'pending' | 'accepted' | 'cancelled';
  token_hash: string;
  expires_at: Timestamp;
  inviter_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface AuditLogTable {
  id: string;
  created_at: Timestamp;
  actor_id: string | null;
  actor_email: string | null;
  auth_method: 'session' | 'api_token' | 'oidc' | 'invitation' | 'system';
  api_token_id: string | null;
  api_token_name: string | null;
  client_ip: string | null;
  action: string;
  project_id: string | null;
  target_type: string;
  target_id: string;
  /** JSON; never holds a secret value. */
  details: string;
}

export interface MailOutboxTable {
  id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  error: string | null;
}

export interface VariablesTable {
  id: string;
  project_id: string;
  /** '' at project level. */
  environment_id: string;
  name: string;
  /** Plain text, or for sensitive variables an AES-256-GCM sealed box. */
  value: string;
  is_json: Flag;
  is_sensitive: Flag;
  visible_build: Flag;
  visible_runtime: Flag;
  is_inheritable: Flag;
  is_enabled: Flag;
  /** JSON array of application names; empty means every application. */
  application_scope: string;
  /** JSON object of string attributes. */
  attributes: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ActivityState = 'pending' | 'in_progress' | 'complete' | 'cancelled';

export interface ActivitiesTable {
  id: string;
  project_id: string;
  environment_id: string;
  type: string;
  state: ActivityState;
  result: 'success' | 'failure' | null;
  failure_reason: 'error' | 'shell' | 'lease' | null;
  completion_percent: number;
  cancellable: Flag;
  cancel_requested: Flag;
  parameters: string;
  payload: string;
  description: string;
  text: string;
  actor_id: string | null;
  actor_email: string | null;
  auth_method: AuditLogTable['auth_method'];
  api_token_id: string | null;
  api_token_name: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  dedupe_key: string | null;
  /** Sealed values only the run may read (source-operation variables); null once finished. */
  sealed_input: string | null;
}

export interface ActivityLogTable {
  activity_id: string;
  seq: number;
  timestamp: Timestamp;
  message: string;
}

export interface BackupsTable {
  id: string;
  project_id: string;
  environment_id: string;
  activity_id: string;
  /** PENDING while the archive is written; CREATED once it is complete and restorable. */
  status: 'PENDING' | 'CREATED' | 'FAILED';
  safe: Flag;
  restorable: Flag;
  storage_key: string | null;
  sha256: string | null;
  size_used: number;
  commit_id: string | null;
  manifest: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp | null;
}

export interface SandboxAccountsTable {
  uid: number;
  project_id: string;
  environment_id: string;
  created_at: Timestamp;
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  signing_keys: SigningKeysTable;
  sessions: SessionsTable;
  revoked_access_tokens: RevokedAccessTokensTable;
  projects: ProjectsTable;
  environments: EnvironmentsTable;
  project_access: ProjectAccessTable;
  invitations: InvitationsTable;
  audit_log: AuditLogTable;
  mail_outbox: MailOutboxTable;
  variables: VariablesTable;
  activities: ActivitiesTable;
  activity_log: ActivityLogTable;
  backups: BackupsTable;
  sandbox_accounts: SandboxAccountsTable;
  trust_policies: TrustPoliciesTable;
}

export type Activity = Selectable<ActivitiesTable>;
export type Backup = Selectable<BackupsTable>;

export type VariableRow = Selectable<VariablesTable>;

export type Project = Selectable<ProjectsTable>;
export type Environment = Selectable<EnvironmentsTable>;
export type ProjectAccess = Selectable<ProjectAccessTable>;
export type Invitation = Selectable<InvitationsTable>;
export type AuditEntry = Selectable<AuditLogTable>;

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type TrustPolicyRow = Selectable<TrustPoliciesTable>;
