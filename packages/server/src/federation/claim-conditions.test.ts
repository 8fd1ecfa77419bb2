import { describe, expect, it } from 'vitest';
import { firstUnmetCondition, globMatches, validateConditions } from './claim-conditions.js';
import { isLoopbackHost, validateIssuerUrl } from './issuer-url.js';

describe('claim conditions', () => {
  it.each([
    ['refs/heads/main', 'refs/heads/main', true],
    ['refs/heads/main', 'refs/heads/main2', false],
    ['refs/heads/*', 'refs/heads/feature/x', true],
    ['refs/heads/*', 'refs/tags/v1', false],
    ['repo:acme/*:environment:prod*', 'repo:acme/app:environment:production', true],
    ['repo:acme/*:environment:prod*', 'repo:acme/app:ref:refs/heads/main', false],
    ['*-deploy', 'nightly-deploy', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['x.y', 'xzy', false],
  ])('%s against %s → %s', (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });

  it('names the first unmet condition, and never matches objects or missing claims', () => {
    const conditions = { repository: 'acme/app', ref: 'refs/heads/*', run_attempt: '1' };
    expect(firstUnmetCondition(conditions, { repository: 'acme/app', ref: 'refs/heads/x', run_attempt: 1 })).toBeUndefined();
    expect(firstUnmetCondition(conditions, { repository: 'acme/app', ref: 'refs/tags/x', run_attempt: '1' })).toBe('ref');
    expect(firstUnmetCondition(conditions, { repository: { name: 'acme/app' }, ref: 'refs/heads/x', run_attempt: '1' })).toBe('repository');
    expect(firstUnmetCondition({ environment: 'prod' }, {})).toBe('environment');
  });

  it('requires an identifying claim and refuses conditions that mean nothing', () => {
    expect(() => validateConditions({ repository: 'acme/app' })).not.toThrow();
    expect(() => validateConditions({ workflow: 'deploy' })).toThrow(/at least one of sub, repository/);
    expect(() => validateConditions({ repository: '*' })).toThrow(/matches everything/);
    expect(() => validateConditions({ repository: 'acme/app', aud: 'x' })).toThrow(/checked by the exchange itself/);
  });
});

describe('issuer URLs', () => {
  it('accepts https, and plain http only on loopback', () => {
    expect(() => validateIssuerUrl('https://token.actions.githubusercontent.com')).not.toThrow();
    expect(() => validateIssuerUrl('https://gitlab.example.com/')).not.toThrow();
    expect(() => validateIssuerUrl('http://127.0.0.1:8443')).not.toThrow();
    expect(() => validateIssuerUrl('http://[::1]:8443')).not.toThrow();
    expect(() => validateIssuerUrl('http://ci.example.com')).toThrow(/https URL/);
    expect(() => validateIssuerUrl('https://ci.example.com/?x=1')).toThrow(/no query/);
    expect(() => validateIssuerUrl('ftp://ci.example.com')).toThrow(/https URL/);
    expect(() => validateIssuerUrl('not a url')).toThrow(/must be a URL/);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});
