import type { Logger } from 'pino';
import type { ApiTokenStore } from './api-token-store.js';

/**
 * Token exchanges must not write to the database on the request path: uses are collected in
 * memory and written in one transaction per interval (and at shutdown).
 */
export class UsageRecorder {
  /** The latest use of each token: when (ms since the epoch, formatted only when written) and from where. */
  private pending = new Map<string, { at: number; ip: string }>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ApiTokenStore,
    private readonly logger: Logger,
    intervalMs = 2_000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(apiTokenId: string, ip: string): void {
    const use = this.pending.get(apiTokenId);
    if (use) {
      use.at = Date.now();
      use.ip = ip;
    } else {
      this.pending.set(apiTokenId, { at: Date.now(), ip });
    }
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.store.recordUse(new Map([...batch].map(([id, use]) => [id, { at: new Date(use.at).toISOString(), ip: use.ip }])));
      } catch (error) {
        this.logger.warn({ err: error, tokens: batch.size }, 'could not record API token use');
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
