import { describe, expect, it } from 'vitest';
import { selectColumns } from './columns.js';

const available = ['id', 'name', 'created_at', 'expires_at', 'last_used_at', 'last_used_ip'];
const defaults = ['id', 'name'];

describe('--columns', () => {
  it('defaults when empty, names in the order given, case-insensitive', () => {
    expect(selectColumns(undefined, available, defaults)).toEqual(['id', 'name']);
    expect(selectColumns('NAME, id', available, defaults)).toEqual(['name', 'id']);
  });
  it('"+" adds the defaults; "*" and "%" are wildcards', () => {
    expect(selectColumns('+last_used_ip', available, defaults)).toEqual(['id', 'name', 'last_used_ip']);
    expect(selectColumns('+', available, defaults)).toEqual(['id', 'name']);
    expect(selectColumns('*_at', available, defaults)).toEqual(['created_at', 'expires_at', 'last_used_at']);
    expect(selectColumns('last%', available, defaults)).toEqual(['last_used_at', 'last_used_ip']);
  });
  it('names the unknown column and the available ones', () => {
    expect(() => selectColumns('nope', available, defaults)).toThrow(`Column not found: nope (available columns: ${available.join(', ')})`);
  });
});
