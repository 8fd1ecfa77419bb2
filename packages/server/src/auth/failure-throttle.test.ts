import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './failure-throttle.js';

describe('FailureThrottle', () => {
  function throttle(limit: number) {
    let now = 1_000_000;
    return { throttle: new FailureThrottle(limit, () => now), advance: (ms: number) => (now += ms) };
  }

  it('counts an attempt before it is checked: a burst admits at most the limit', () => {
    const { throttle: limited } = throttle(3);
    const waits = Array.from({ length: 10 }, () => limited.admit('10.0.0.1'));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(3);
    expect(waits.slice(3).every((wait) => wait === 60)).toBe(true);
    expect(limited.retryAfter('10.0.0.1')).toBe(60);
    expect(limited.retryAfter('10.0.0.2')).toBe(0);
  });

  it('forgives successes, so only failures use up the allowance', () => {
    const { throttle: limited } = throttle(2);
    for (let i = 0; i < 100; i++) {
      expect(limited.admit('10.0.0.1')).toBe(0);
      limited.forgive('10.0.0.1');
    }
    limited.admit('10.0.0.1');
    limited.admit('10.0.0.1');
    expect(limited.retryAfter('10.0.0.1')).toBeGreaterThan(0);
  });

  it('never credits an address beyond its limit: forgiving what was not counted does nothing', () => {
    const { throttle: limited } = throttle(2);
    for (let i = 0; i < 5; i++) limited.forgive('10.0.0.1');
    expect([limited.admit('10.0.0.1'), limited.admit('10.0.0.1'), limited.admit('10.0.0.1')]).toEqual([0, 0, 60]);
  });

  it('lets a blocked address try again when its minute is over, and says how long is left', () => {
    const { throttle: limited, advance } = throttle(1);
    limited.admit('10.0.0.1');
    advance(45_500);
    expect(limited.admit('10.0.0.1')).toBe(15);
    expect(limited.retryAfter('10.0.0.1')).toBe(15);
    advance(14_500);
    expect(limited.retryAfter('10.0.0.1')).toBe(0);
    expect(limited.admit('10.0.0.1')).toBe(0);
  });
});
