import { describe, expect, it } from 'vitest';
import { apiTokenPattern, generateApiToken, isWellFormedApiToken } from './api-token-format.js';

describe('API token format', () => {
  it('is the prefix, 43 base62 characters of randomness and a 6-character checksum', () => {
    const token = generateApiToken('pier_');
    expect(token).toMatch(apiTokenPattern('pier_'));
    expect(token).toHaveLength(5 + 43 + 6);
    expect(isWellFormedApiToken(token, 'pier_')).toBe(true);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateApiToken('pier_')));
    expect(tokens.size).toBe(1000);
  });

  it('rejects a typo through the checksum', () => {
    const token = generateApiToken('pier_');
    const body = token.slice(5, 48);
    const changed = body[10] === 'a' ? 'b' : 'a';
    const typo = `pier_${body.slice(0, 10)}${changed}${body.slice(11)}${token.slice(48)}`;
    expect(isWellFormedApiToken(typo, 'pier_')).toBe(false);
  });

  it('rejects other prefixes, lengths and characters', () => {
    const token = generateApiToken('pier_');
    expect(isWellFormedApiToken(token.replace('pier_', 'ghp_x'), 'pier_')).toBe(false);
    expect(isWellFormedApiToken(token.slice(0, -1), 'pier_')).toBe(false);
    expect(isWellFormedApiToken(`${token.slice(0, 20)}-${token.slice(21)}`, 'pier_')).toBe(false);
    expect(isWellFormedApiToken('', 'pier_')).toBe(false);
  });

  it('publishes a pattern that secret scanners can use', () => {
    expect(apiTokenPattern('pier_').source).toBe('^pier_[0-9A-Za-z]{43}[0-9A-Za-z]{6}$');
  });
});
