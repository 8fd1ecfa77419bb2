import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { AuditEntry, Database } from '../db/schema.js';
import type { DatabaseTransaction } from '../db/database.js';
import { isoNow } from '../db/time.js';
import type { Actor, AuditEvent, AuditQuery } from './audit-log.js';

/** The audit trail's rows. */
export class AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** An entry for something done outside a transaction (a read, a certificate, a mail sent). */
  record(actor: Actor, event: AuditEvent): Promise<void> {
    return this.insert(this.db, actor, event);
  }

  /** An entry in the caller's transaction, so a change and its entry land together or not at all. */
  recordIn(trx: DatabaseTransaction, actor: Actor, event: AuditEvent): Promise<void> {
    return this.insert(trx, actor, event);
  }

  private async insert(executor: Kysely<Database>, actor: Actor, event: AuditEvent): Promise<void> {
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

  list(query: AuditQuery): Promise<AuditEntry[]> {
    let select = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit);
    if (query.projectId) select = select.where('project_id', '=', query.projectId);
    if (query.actorId) select = select.where('actor_id', '=', query.actorId);
    if (query.before) select = select.where('id', '<', query.before);
    return select.execute();
  }

  /** What an entry shows of its actor: the user's e-mail and the API token's name, as they are now. */
  async actorNames(userId: string, apiTokenId: string | null): Promise<{ email: string | null; apiTokenName: string | null }> {
    const [user, token] = await Promise.all([
      this.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst(),
      apiTokenId ? this.db.selectFrom('api_tokens').select('name').where('id', '=', apiTokenId).executeTakeFirst() : Promise.resolve(undefined),
    ]);
    return { email: user?.email ?? null, apiTokenName: token?.name ?? null };
  }
}
