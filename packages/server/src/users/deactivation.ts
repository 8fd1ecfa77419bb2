import type { Services } from '../services.js';
import type { User } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { type Actor } from '../audit/audit-log.js';

/**
 * Deactivating a user cuts every credential at once, on every node: the flag stops new exchanges,
 * logins and SSH logins; console sessions are deleted; and the revocation news (a cut-off time)
 * kills access tokens — those held for reuse included — SSH certificates and running SSH
 * sessions issued up to now. Reactivation lets the user and their API tokens in again, but what
 * was issued before the cut-off stays dead: a stolen access token or certificate does not come
 * back with its owner.
 */
export async function deactivateUser(services: Pick<Services, 'audit' | 'database' | 'revocations' | 'users'>, user: User, actor: Actor): Promise<User> {
  const { db } = services.database;
  const now = isoNow();
  const updated = await db.transaction().execute(async (trx) => {
    await services.audit.recordIn(trx, actor, { action: 'user.deactivate', projectId: null, targetType: 'user', targetId: user.id, details: { email: user.email } });
    return services.users.deactivate(user.id, now, trx);
  });
  await services.revocations.announce({ kind: 'user', id: user.id, cutoff: Date.parse(now) });
  return updated;
}

export async function reactivateUser(services: Pick<Services, 'audit' | 'database' | 'revocations' | 'users'>, user: User, actor: Actor): Promise<User> {
  const { db } = services.database;
  const now = isoNow();
  return db.transaction().execute(async (trx) => {
    await services.audit.recordIn(trx, actor, { action: 'user.reactivate', projectId: null, targetType: 'user', targetId: user.id, details: { email: user.email } });
    return services.users.reactivate(user.id, now, trx);
  });
}
