import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { SqliteChangeRelay } from './sqlite-change-feed.js';

/** Channels are fixed names so nothing user-controlled reaches a LISTEN statement. */
/** `environment`: environments were created or removed (the SSH gateway's login names follow). */
export type ChangeChannel = 'revocation' | 'activity' | 'activity_log' | 'activity_cancel' | 'environment';

export interface ChangeFeed {
  publish(channel: ChangeChannel, payload: string): Promise<void>;
  subscribe(channel: ChangeChannel, listener: (payload: string) => void): () => void;
  /** Called after a (re)connection, when notifications may have been missed. */
  onResync(listener: () => void): () => void;
  /** Resolves once notifications from other processes are being received. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

type FeedOptions =
  | { kind: 'sqlite'; db: Kysely<unknown>; logger: Logger }
  | { kind: 'postgres'; databaseUrl: string; pool: pg.Pool; logger: Logger };

const channels: ChangeChannel[] = ['revocation', 'activity', 'activity_log', 'activity_cancel', 'environment'];

export function createChangeFeed(options: FeedOptions): ChangeFeed {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const subscribe = (channel: ChangeChannel, listener: (payload: string) => void) => {
    events.on(channel, listener);
    return () => void events.off(channel, listener);
  };
  const onResync = (listener: () => void) => {
    events.on('resync', listener);
    return () => void events.off('resync', listener);
  };
  if (options.kind === 'sqlite') {
    const relay = new SqliteChangeRelay(options.db, events, (error) => options.logger.warn({ err: error }, 'change feed poll failed'));
    const started = relay.start();
    return {
      publish: (channel, payload) => relay.publish(channel, payload),
      subscribe,
      onResync,
      ready: () => started,
      close: async () => {
        await started.catch(() => undefined);
        await relay.close();
        events.removeAllListeners();
      },
    };
  }
  const listener = new PostgresListener(options.databaseUrl, options.logger, events);
  return {
    publish: async (channel, payload) => {
      await options.pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    subscribe,
    onResync,
    ready: () => listener.ready,
    close: () => listener.close(),
  };
}

/** Holds one dedicated connection in LISTEN mode and reconnects when it drops. */
class PostgresListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  readonly ready: Promise<void>;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly events: EventEmitter,
  ) {
    this.ready = this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.payload !== undefined) this.events.emit(message.channel, message.payload);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'change feed connection lost; reconnecting');
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
      this.client = client;
      this.events.emit('resync');
    } catch (error) {
      this.logger.warn({ err: error }, 'change feed could not connect; retrying');
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const previous = this.client;
    this.client = undefined;
    void previous?.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, 500);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.ready.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.events.removeAllListeners();
  }
}
