import { describe, expect, it } from 'vitest';
import { redactHeader, redactText } from './redact.js';

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
});
