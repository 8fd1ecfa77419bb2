import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Activity } from '../db/schema.js';
import type { DatabaseExecutor } from '../db/database.js';
import type { WorkerServices } from '../services.js';
import { actorOf, type Actor, type AuditEvent } from '../audit/audit-log.js';
import { presentActivity } from './present.js';

/** What a route writes when it starts an activity: the queued row (enqueued by the route) and its audit entry. */
export interface StartedActivity {
  activity: Activity;
  audit: AuditEvent;
}

/** The 202 body of a route that started activities (Platform.sh's "AcceptedActivities"). */
export function acceptedActivities(activities: Activity[], baseUrl: string) {
  // The starter may always cancel what they just started.
  return { status: 'Accepted', code: 202, _embedded: { activities: activities.map((activity) => presentActivity(activity, baseUrl, true)) } };
}

/**
 * The one way a route starts long work: enqueue and audit in one transaction (no activity
 * without its audit entry, nor the reverse), wake the workers only after the commit (a worker
 * woken earlier would not see the row), answer 202 with the activity.
 */
export async function startActivity(
  services: Pick<WorkerServices, 'audit' | 'database'>,
  baseUrl: string,
  request: FastifyRequest,
  reply: FastifyReply,
  write: (trx: DatabaseExecutor, actor: Actor) => Promise<StartedActivity>,
): Promise<FastifyReply> {
  const { audit, database } = services;
  const actor = await actorOf(audit, request);
  const activity = await database.db.transaction().execute(async (trx) => {
    const started = await write(trx, actor);
    await audit.recordIn(trx, actor, started.audit);
    return started.activity;
  });
  await database.changes.publish('activity', 'queued');
  return reply.status(202).send(acceptedActivities([activity], baseUrl));
}
