import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Brute-force protection (token exchanges, console logins), per client address. Every attempt is
 * counted *before* it is checked, so a parallel burst checks at most the limit; a success is
 * then forgiven, so only failures use up the allowance and a busy CI fleet with valid tokens is
 * never slowed down.
 */
export class FailureThrottle {
  private readonly failures: RateLimiterMemory;

  constructor(failuresPerMinute: number) {
    this.failures = new RateLimiterMemory({ points: failuresPerMinute, duration: 60 });
  }

  /** Seconds a blocked address must wait, without counting anything (0: not blocked). */
  async retryAfter(address: string): Promise<number> {
    const state = await this.failures.get(address);
    if (!state || state.remainingPoints > 0) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  /** Counts an attempt from `address`: 0 when it may be checked now, else seconds to wait. */
  async admit(address: string): Promise<number> {
    try {
      await this.failures.consume(address);
      return 0;
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    }
  }

  /** The admitted attempt succeeded: it does not count against the address. */
  async forgive(address: string): Promise<void> {
    await this.failures.reward(address, 1);
  }
}
