import type { AuditLogTable } from '../db/schema.js';
import type { AuditStore } from './store.js';

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
export async function actorOf(audit: Pick<AuditStore, 'actorNames'>, context: RequestContext): Promise<Actor> {
  const { principal } = context;
  // Routes authenticate (principalOf) before they act, so this is a programming error.
  if (!principal) throw new Error('An audited action needs an authenticated request.');
  const names = await audit.actorNames(principal.userId, principal.apiTokenId);
  return {
    userId: principal.userId,
    email: names.email,
    authMethod: principal.via === 'session' ? 'session' : principal.trustPolicyId ? 'oidc' : 'api_token',
    apiTokenId: principal.apiTokenId,
    apiTokenName: names.apiTokenName,
    clientIp: context.ip,
  };
}

export interface AuditQuery {
  projectId?: string;
  actorId?: string;
  limit: number;
  /** Entries strictly older than this entry id (ids are time-ordered UUIDv7). */
  before?: string;
}
