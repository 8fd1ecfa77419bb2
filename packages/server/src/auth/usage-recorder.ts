import type { Logger } from 'pino';
import type { ApiTokenStore } from './api-token-store.js';

/**
 * Token exchanges must not write to the database on the request path: uses are collected in
 * memory and written in one transaction per interval (and at shutdown).
 */
export class UsageRecorder {
  private pending = new Map<string, { at: string; ip: string }>();
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
    this.pending.set(apiTokenId, { at: new Date().toISOString(), ip });
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.store.recordUse(batch);
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
