import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { AuditEntry, AuditLogTable, Database } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { principalOf } from '../http/authenticate.js';

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

export async function actorOf(db: Kysely<Database>, request: FastifyRequest): Promise<Actor> {
  const principal = principalOf(request);
  const [user, token] = await Promise.all([
    db.selectFrom('users').select('email').where('id', '=', principal.userId).executeTakeFirst(),
    principal.apiTokenId
      ? db.selectFrom('api_tokens').select('name').where('id', '=', principal.apiTokenId).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    userId: principal.userId,
    email: user?.email ?? null,
    authMethod: principal.via === 'session' ? 'session' : principal.trustPolicyId ? 'oidc' : 'api_token',
    apiTokenId: principal.apiTokenId,
    apiTokenName: token?.name ?? null,
    clientIp: request.ip,
  };
}

/** Writes audit entries, inside the caller's transaction so a change and its entry land together. */
export async function recordAudit(executor: Kysely<Database>, actor: Actor, event: AuditEvent): Promise<void> {
  await executor
    .insertInto('audit_log')
    .values({
      id: uuidv7(),
      created_at: isoNow(),
      actor_id: actor.userId,
      actor_email: actor.email,
      auth_method: actor.authMethod,
      api_token_id: actor.apiTokenId,
      api_token_name: actor.apiTokenName,
      client_ip: actor.clientIp,
      action: event.action,
      project_id: event.projectId,
      target_type: event.targetType,
      target_id: event.targetId,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export interface AuditQuery {
  projectId?: string;
  actorId?: string;
  limit: number;
  /** Entries strictly older than this entry id (ids are time-ordered UUIDv7). */
  before?: string;
}

export function listAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditEntry[]> {
  let select = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.projectId) select = select.where('project_id', '=', query.projectId);
  if (query.actorId) select = select.where('actor_id', '=', query.actorId);
  if (query.before) select = select.where('id', '<', query.before);
  return select.execute();
}
