import { describe, expect, it } from 'vitest';
import { progressLine } from './progress-bar.js';

describe('the activity progress bar', () => {
  it('fills from completion_percent, with the elapsed time and the state', () => {
    expect(progressLine({ state: 'pending', completion_percent: 0 }, 0)).toBe(`[>${' '.repeat(27)}] 00:00:00 (pending)`);
    expect(progressLine({ state: 'in_progress', completion_percent: 50 }, 45_000)).toBe(`[${'='.repeat(14)}>${' '.repeat(13)}] 00:00:45 (in progress)`);
    expect(progressLine({ state: 'complete', completion_percent: 90 }, 3_725_000)).toBe(`[${'='.repeat(28)}] 01:02:05 (complete)`);
  });
});
