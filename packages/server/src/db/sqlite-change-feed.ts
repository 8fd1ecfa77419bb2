import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { sql, type Kysely } from 'kysely';

const POLL_MS = 200;
const KEEP_MS = 60_000;

/**
 * Cross-process notifications on SQLite. Several processes may open one SQLite file (`pier-server
 * api` twice, an API and a worker, admin commands beside a running server), and nothing that
 * decides correctness may live in one process's memory: a publication is delivered at once in
 * this process and written to a table that every process polls, so a revocation takes effect
 * everywhere within a poll (200 ms). Rows are kept a minute; a process reads only what was
 * written after it started.
 */
export class SqliteChangeRelay {
  private readonly origin = randomUUID();
  private lastSeq = 0;
  private lastPrune = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    // The relay's table is its own (created here, never named in the typed schema).
    private readonly db: Kysely<unknown>,
    private readonly events: EventEmitter,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    await sql`create table if not exists change_relay (
      seq integer primary key autoincrement,
      channel text not null,
      payload text not null,
      origin text not null,
      created_at integer not null)`.execute(this.db);
    const row = await sql<{ last: number | null }>`select max(seq) as last from change_relay`.execute(this.db);
    this.lastSeq = row.rows[0]?.last ?? 0;
    this.schedule();
  }

  async publish(channel: string, payload: string): Promise<void> {
    this.events.emit(channel, payload);
    await sql`insert into change_relay (channel, payload, origin, created_at) values (${channel}, ${payload}, ${this.origin}, ${Date.now()})`.execute(this.db);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().catch(this.onError).finally(() => this.schedule());
    }, POLL_MS);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const rows = await sql<{ seq: number; channel: string; payload: string; origin: string }>`
      select seq, channel, payload, origin from change_relay where seq > ${this.lastSeq} order by seq limit 1000`.execute(this.db);
    for (const row of rows.rows) {
      this.lastSeq = row.seq;
      if (row.origin !== this.origin && !this.closed) this.events.emit(row.channel, row.payload);
    }
    const now = Date.now();
    if (now - this.lastPrune > KEEP_MS / 2) {
      this.lastPrune = now;
      await sql`delete from change_relay where created_at < ${now - KEEP_MS}`.execute(this.db);
    }
  }
}
