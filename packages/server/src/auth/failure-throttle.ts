import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Brute-force protection (token exchanges, console logins): only failures count, per client
 * address, so a busy CI fleet with valid tokens is never slowed down.
 */
export class FailureThrottle {
  private readonly failures: RateLimiterMemory;

  constructor(failuresPerMinute: number) {
    this.failures = new RateLimiterMemory({ points: failuresPerMinute, duration: 60 });
  }

  /** Seconds to wait before trying again, or 0 when the address may try now. */
  async retryAfter(address: string): Promise<number> {
    const state = await this.failures.get(address);
    if (!state || state.remainingPoints > 0) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  async recordFailure(address: string): Promise<void> {
    try {
      await this.failures.consume(address);
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
    }
  }
}
