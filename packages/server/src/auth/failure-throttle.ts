/** How long a window of counted attempts lasts. */
const WINDOW_MS = 60_000;
/** Above this many addresses, windows that have ended are swept out (at most once a second). */
const SWEEP_ABOVE = 10_000;

interface Window {
  /** Attempts counted and not forgiven. */
  count: number;
  endsAt: number;
}

/**
 * Brute-force protection (token exchanges, console logins), per client address. Every attempt is
 * counted *before* it is checked, so a parallel burst checks at most the limit; a success is
 * then forgiven, so only failures use up the allowance and a busy CI fleet with valid tokens is
 * never slowed down. A window starts with an address's first attempt and lasts a minute.
 *
 * In memory and synchronous, per node: an exchange costs two map lookups, and count and check
 * cannot be separated by another request's attempt.
 */
export class FailureThrottle {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    private readonly failuresPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds a blocked address must wait, without counting anything (0: not blocked). */
  retryAfter(address: string): number {
    const window = this.current(address, this.now());
    return window && window.count >= this.failuresPerMinute ? secondsLeft(window, this.now()) : 0;
  }

  /** Counts an attempt from `address`: 0 when it may be checked now, else seconds to wait. */
  admit(address: string): number {
    const now = this.now();
    let window = this.current(address, now);
    if (!window) {
      this.sweep(now);
      window = { count: 0, endsAt: now + WINDOW_MS };
      this.windows.set(address, window);
    }
    window.count++;
    return window.count > this.failuresPerMinute ? secondsLeft(window, now) : 0;
  }

  /** The admitted attempt succeeded: it does not count against the address. */
  forgive(address: string): void {
    const window = this.current(address, this.now());
    if (window && window.count > 0) window.count--;
  }

  private current(address: string, now: number): Window | undefined {
    const window = this.windows.get(address);
    if (!window || window.endsAt > now) return window;
    this.windows.delete(address);
    return undefined;
  }

  private sweep(now: number): void {
    if (this.windows.size < SWEEP_ABOVE || now - this.lastSweep < 1_000) return;
    this.lastSweep = now;
    for (const [address, window] of this.windows) if (window.endsAt <= now) this.windows.delete(address);
  }
}

function secondsLeft(window: Window, now: number): number {
  return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
}
