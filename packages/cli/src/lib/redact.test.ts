import { describe, expect, it } from 'vitest';
import { redactBody, redactHeader, redactText, SecretRegistry } from './redact.js';

const apiToken = 'pier_9VExmuuuSW5IufijoNrHb45mCm5qruG4xjqjGHAQ9iB2L4IBw';
const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

describe('redaction', () => {
  it('hides tokens in form bodies, JSON bodies and free text', () => {
    expect(redactText(`grant_type=api_token&api_token=${apiToken}&scope=`)).toBe('grant_type=api_token&api_token=[redacted]&scope=');
    expect(redactText(JSON.stringify({ access_token: jwt, expires_in: 900 }))).toBe('{"access_token":"[redacted]","expires_in":900}');
    expect(redactText(`token ${apiToken} and ${jwt}.`)).toBe('token [redacted] and [redacted].');
    expect(redactText('a secret-value here', ['secret-value'])).toBe('a [redacted] here');
  });
  it('keeps the scheme of credential headers, nothing else', () => {
    expect(redactHeader('Authorization', `Bearer ${jwt}`)).toBe('Bearer [redacted]');
    expect(redactHeader('authorization', 'Basic cGllci1jbGk6')).toBe('Basic [redacted]');
    expect(redactHeader('content-type', 'application/json')).toBe('application/json');
  });
  it('hides the value of sensitive variables in JSON bodies, and registered secrets of any length', () => {
    const created = JSON.stringify({ name: 'env:X', value: 'short', is_sensitive: true });
    expect(redactBody(created)).toBe('{"name":"env:X","value":"[redacted]","is_sensitive":true}');
    expect(redactBody(JSON.stringify({ name: 'Y', value: 'plain', is_sensitive: false }))).toContain('"value":"plain"');
    const secrets = new SecretRegistry();
    secrets.add('s3cr');
    expect(redactBody(JSON.stringify({ value: 's3cr' }), secrets)).toBe('{"value":"[redacted]"}');
    secrets.add('a-longer-secret');
    expect(redactBody('not json: a-longer-secret', secrets)).toBe('not json: [redacted]');
    expect(redactBody(JSON.stringify([{ items: [{ value: 'v', is_sensitive: true }] }]))).toBe('[{"items":[{"value":"[redacted]","is_sensitive":true}]}]');
  });
});
