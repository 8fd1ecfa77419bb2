import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/errors.js';
import { parseStartsAt } from './starts-at.js';

describe('starts_at', () => {
  it('reads the date the Platform.sh CLI sends, whose unencoded + arrives as a space', () => {
    expect(parseStartsAt('2022-02-22T02:00:00.000000 00:00')).toBe('2022-02-22T02:00:00.000Z');
    expect(parseStartsAt('2022-02-22T04:00:00.123456+02:00')).toBe('2022-02-22T02:00:00.123Z');
  });

  it('reads plain ISO instants', () => {
    expect(parseStartsAt('2022-02-22T02:00:00Z')).toBe('2022-02-22T02:00:00.000Z');
  });

  it('refuses anything else with a 400 naming the field', () => {
    for (const bad of ['yesterday', '2022-02-22', '2022-13-40T99:00:00Z', '']) {
      expect(() => parseStartsAt(bad)).toThrow(ApiError);
    }
  });
});
