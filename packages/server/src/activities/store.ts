import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Activity, ActivityState, Database } from '../db/schema.js';
import type { DialectName } from '../db/database.js';
import { isoAfter, isoNow } from '../db/time.js';
import type { Actor } from '../audit/audit-log.js';

export interface NewActivity {
  projectId: string;
  /** '' for project-level activities. */
  environmentId: string;
  type: string;
  text: string;
  parameters?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  cancellable?: boolean;
  /** At most one activity ever exists with a given key (scheduled runs). */
  dedupeKey?: string;
}

export interface QueueSnapshot {
  activities: Array<{ type: string; state: string; count: number }>;
  pending: number;
  oldestPendingAt: string | null;
}

export interface ActivityQuery {
  projectId: string;
  environmentId?: string;
  types?: string[];
  states?: string[];
  results?: string[];
  count: number;
  /** Activities created at or before this time (Platform.sh paging). */
  startsAt?: string;
}

/**
 * The activity row is the queue. Workers claim with one UPDATE … RETURNING (with FOR UPDATE
 * SKIP LOCKED on PostgreSQL; SQLite has a single writer), hold a lease they renew, and an
 * activity whose worker died is claimed again after its lease — or failed after too many tries.
 */
export class ActivityStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  private row(actor: Actor, input: NewActivity, state: ActivityState): Activity {
    const now = isoNow();
    const finished = state === 'complete';
    return {
      id: uuidv7(),
      project_id: input.projectId,
      environment_id: input.environmentId,
      type: input.type,
      state,
      result: finished ? 'success' : null,
      failure_reason: null,
      completion_percent: finished ? 100 : 0,
      cancellable: input.cancellable === false || finished ? 0 : 1,
      cancel_requested: 0,
      parameters: JSON.stringify(input.parameters ?? {}),
      payload: JSON.stringify(input.payload ?? {}),
      description: input.text,
      text: input.text,
      actor_id: actor.userId,
      actor_email: actor.email,
      auth_method: actor.authMethod,
      api_token_id: actor.apiTokenId,
      api_token_name: actor.apiTokenName,
      attempts: 0,
      lease_owner: null,
      lease_expires_at: null,
      created_at: now,
      updated_at: now,
      started_at: finished ? now : null,
      completed_at: finished ? now : null,
      cancelled_at: null,
      dedupe_key: input.dedupeKey ?? null,
      sealed_input: null,
    };
  }

  async enqueue(executor: Kysely<Database>, actor: Actor, input: NewActivity): Promise<Activity> {
    const activity = this.row(actor, input, 'pending');
    await executor.insertInto('activities').values(activity).execute();
    return activity;
  }

  /** Queues unless an activity with the same dedupe key exists; returns it only when queued now. */
  async enqueueOnce(actor: Actor, input: NewActivity & { dedupeKey: string }): Promise<Activity | undefined> {
    const activity = this.row(actor, input, 'pending');
    const result = await this.db.insertInto('activities').values(activity).onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? activity : undefined;
  }

  /** A change that happened at once (a variable, an access grant) still shows in the stream. */
  async recordInstant(executor: Kysely<Database>, actor: Actor, input: NewActivity): Promise<Activity> {
    const activity = this.row(actor, input, 'complete');
    await executor.insertInto('activities').values(activity).execute();
    return activity;
  }

  /** The payload of a queued activity, once what it names (a backup row) exists in the same transaction. */
  async replacePayload(executor: Kysely<Database>, activity: Activity, payload: Record<string, unknown>): Promise<Activity> {
    const serialised = JSON.stringify(payload);
    await executor.updateTable('activities').set({ payload: serialised }).where('id', '=', activity.id).execute();
    return { ...activity, payload: serialised };
  }

  /** Keeps sealed values for the run of a queued activity (see `sealed_input`). */
  async setSealedInput(executor: Kysely<Database>, id: string, sealed: string): Promise<void> {
    await executor.updateTable('activities').set({ sealed_input: sealed }).where('id', '=', id).where('state', '=', 'pending').execute();
  }

  async sealedInput(id: string): Promise<string | null> {
    return (await this.db.selectFrom('activities').select('sealed_input').where('id', '=', id).executeTakeFirst())?.sealed_input ?? null;
  }

  find(projectId: string, id: string): Promise<Activity | undefined> {
    return this.db.selectFrom('activities').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  }

  list(query: ActivityQuery): Promise<Activity[]> {
    let select = this.db.selectFrom('activities').selectAll().where('project_id', '=', query.projectId);
    if (query.environmentId !== undefined) select = select.where('environment_id', '=', query.environmentId);
    if (query.types?.length) select = select.where('type', 'in', query.types);
    if (query.states?.length) select = select.where('state', 'in', query.states as ActivityState[]);
    if (query.results?.length) select = select.where('result', 'in', query.results as Array<'success' | 'failure'>);
    if (query.startsAt) select = select.where('created_at', '<=', query.startsAt);
    return select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.count).execute();
  }

  /** Claims the oldest runnable activity: pending, or running under an expired lease. */
  async claim(workerId: string, leaseSeconds: number, maxAttempts: number): Promise<Activity | undefined> {
    const now = isoNow();
    const lease = isoAfter(leaseSeconds);
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const runnable = sql`(state = 'pending' or (state = 'in_progress' and lease_expires_at < ${now} and attempts < ${maxAttempts}))`;
    const result = await sql<Activity>`
      update activities
         set state = 'in_progress', lease_owner = ${workerId}, lease_expires_at = ${lease},
             attempts = attempts + 1, started_at = coalesce(started_at, ${now}), updated_at = ${now}
       where ${runnable}
         and id = (
           select a.id from activities a
            where (a.state = 'pending' or (a.state = 'in_progress' and a.lease_expires_at < ${now} and a.attempts < ${maxAttempts}))
              and (a.environment_id = '' or not exists (
                select 1 from activities b
                 where b.project_id = a.project_id and b.environment_id = a.environment_id and b.id <> a.id
                   and b.state = 'in_progress' and b.lease_expires_at >= ${now}))
            order by a.created_at, a.id
            limit 1
            ${lock})
      returning *`.execute(this.db);
    return result.rows[0];
  }

  /** Extends the lease; false when this worker no longer holds it. Reports a cancel request. */
  async renew(id: string, workerId: string, leaseSeconds: number): Promise<{ held: boolean; cancelRequested: boolean }> {
    const result = await this.db
      .updateTable('activities')
      .set({ lease_expires_at: isoAfter(leaseSeconds), updated_at: isoNow() })
      .where('id', '=', id)
      .where('lease_owner', '=', workerId)
      .where('state', '=', 'in_progress')
      .returning('cancel_requested')
      .executeTakeFirst();
    return { held: result !== undefined, cancelRequested: result?.cancel_requested === 1 };
  }

  async progress(id: string, workerId: string, percent: number): Promise<void> {
    await this.db
      .updateTable('activities')
      .set({ completion_percent: Math.max(0, Math.min(99, Math.round(percent))), updated_at: isoNow() })
      .where('id', '=', id)
      .where('lease_owner', '=', workerId)
      .execute();
  }

  /** Finishes an activity this worker holds; false when the lease was lost meanwhile. */
  async finish(
    id: string,
    workerId: string,
    outcome: { state: 'complete' | 'cancelled'; result: 'success' | 'failure'; failureReason?: Activity['failure_reason']; payload?: Record<string, unknown> },
  ): Promise<boolean> {
    const now = isoNow();
    const changes = {
      state: outcome.state,
      result: outcome.result,
      failure_reason: outcome.failureReason ?? null,
      completion_percent: 100,
      completed_at: now,
      updated_at: now,
      lease_owner: null,
      lease_expires_at: null,
      sealed_input: null,
      ...(outcome.state === 'cancelled' ? { cancelled_at: now } : {}),
      ...(outcome.payload ? { payload: JSON.stringify(outcome.payload) } : {}),
    };
    const result = await this.db
      .updateTable('activities')
      .set(changes)
      .where('id', '=', id)
      .where('lease_owner', '=', workerId)
      .where('state', '=', 'in_progress')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Activities whose lease ran out too many times fail cleanly instead of staying stuck. `cleanUp`
   * undoes, in the same transaction, what a dead run left behind (a safe backup's write pause).
   */
  async failAbandoned(maxAttempts: number, cleanUp: (executor: Kysely<Database>, activity: Activity) => Promise<void>): Promise<Activity[]> {
    const now = isoNow();
    return this.db.transaction().execute(async (trx) => {
      const failed = await trx
        .updateTable('activities')
        .set({ state: 'complete', result: 'failure', failure_reason: 'lease', completion_percent: 100, completed_at: now, updated_at: now, lease_owner: null, lease_expires_at: null, sealed_input: null })
        .where('state', '=', 'in_progress')
        .where('lease_expires_at', '<', now)
        .where('attempts', '>=', maxAttempts)
        .returningAll()
        .execute();
      for (const activity of failed) await cleanUp(trx, activity);
      return failed;
    });
  }

  /** Whether an activity with this dedupe key exists (a cron run another scheduler queued). */
  async existsWithDedupeKey(dedupeKey: string): Promise<boolean> {
    return (await this.db.selectFrom('activities').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst()) !== undefined;
  }

  /** Counts by type and state, and the pending queue's depth and oldest entry (for the gauges). */
  async queueSnapshot(): Promise<QueueSnapshot> {
    const counts = await this.db.selectFrom('activities').select(['type', 'state', sql<number>`count(*)`.as('count')]).groupBy(['type', 'state']).execute();
    const pending = await this.db
      .selectFrom('activities')
      .select([sql<number>`count(*)`.as('count'), sql<string | null>`min(created_at)`.as('oldest')])
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return {
      activities: counts.map((row) => ({ type: row.type, state: row.state, count: Number(row.count) })),
      pending: Number(pending.count),
      oldestPendingAt: pending.oldest,
    };
  }

  /** Pending: cancelled at once. Running: the worker is asked to stop. */
  async requestCancel(id: string): Promise<'cancelled' | 'requested' | 'finished'> {
    const now = isoNow();
    const pending = await this.db
      .updateTable('activities')
      .set({ state: 'cancelled', result: 'failure', cancelled_at: now, completed_at: now, updated_at: now, completion_percent: 100, sealed_input: null })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(pending.numUpdatedRows) > 0) return 'cancelled';
    const running = await this.db
      .updateTable('activities')
      .set({ cancel_requested: 1, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'in_progress')
      .executeTakeFirst();
    return Number(running.numUpdatedRows) > 0 ? 'requested' : 'finished';
  }

  async appendLog(activityId: string, seq: number, message: string): Promise<void> {
    await this.db.insertInto('activity_log').values({ activity_id: activityId, seq, timestamp: isoNow(), message }).execute();
  }

  async nextLogSeq(activityId: string): Promise<number> {
    const row = await this.db
      .selectFrom('activity_log')
      .select((eb) => eb.fn.max('seq').as('last'))
      .where('activity_id', '=', activityId)
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
  }

  logFrom(activityId: string, startAt: number, limit: number) {
    return this.db
      .selectFrom('activity_log')
      .selectAll()
      .where('activity_id', '=', activityId)
      .where('seq', '>=', startAt)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async state(activityId: string): Promise<ActivityState | undefined> {
    return (await this.db.selectFrom('activities').select('state').where('id', '=', activityId).executeTakeFirst())?.state;
  }
}
