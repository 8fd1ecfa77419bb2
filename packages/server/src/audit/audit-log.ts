import type { AuditEntry, AuditLogTable } from '../db/schema.js';
import type { DatabaseExecutor } from '../db/database.js';
import { AuditStore } from './store.js';

/** Who did something, as the audit trail shows it: machine users appear as themselves + token. */
export interface Actor {
  userId: string | null;
  email: string | null;
  authMethod: AuditLogTable['auth_method'];
  apiTokenId: string | null;
  apiTokenName: string | null;
  clientIp: string | null;
}

export interface AuditEvent {
  action: string;
  projectId: string | null;
  targetType: string;
  targetId: string;
  /** Never a secret value: names, roles, ids only. */
  details?: Record<string, unknown>;
}

/**
 * What the audit trail needs to know of a request: who is authenticated, how, and from where. A
 * plain value (a Fastify request is one, structurally), so auditing knows nothing of HTTP.
 */
export interface RequestContext {
  principal: { userId: string; via: 'access_token' | 'session'; apiTokenId: string | null; trustPolicyId: string | null } | null;
  ip: string;
}

/** The actor of an authenticated request, with the e-mail and token name as they are now. */
export async function actorOf(db: DatabaseExecutor, context: RequestContext): Promise<Actor> {
  const { principal } = context;
  // Routes authenticate (principalOf) before they act, so this is a programming error.
  if (!principal) throw new Error('An audited action needs an authenticated request.');
  const names = await new AuditStore(db).actorNames(principal.userId, principal.apiTokenId);
  return {
    userId: principal.userId,
    email: names.email,
    authMethod: principal.via === 'session' ? 'session' : principal.trustPolicyId ? 'oidc' : 'api_token',
    apiTokenId: principal.apiTokenId,
    apiTokenName: names.apiTokenName,
    clientIp: context.ip,
  };
}

/** Writes an audit entry, inside the caller's transaction so a change and its entry land together. */
export function recordAudit(executor: DatabaseExecutor, actor: Actor, event: AuditEvent): Promise<void> {
  return new AuditStore(executor).record(executor, actor, event);
}

export interface AuditQuery {
  projectId?: string;
  actorId?: string;
  limit: number;
  /** Entries strictly older than this entry id (ids are time-ordered UUIDv7). */
  before?: string;
}

export function listAudit(db: DatabaseExecutor, query: AuditQuery): Promise<AuditEntry[]> {
  return new AuditStore(db).list(query);
}
