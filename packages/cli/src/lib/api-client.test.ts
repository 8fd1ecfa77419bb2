import { describe, expect, it } from 'vitest';
import { apiFailure } from './api-client.js';
import { exitCodeFor } from './errors.js';

function failure(status: number, body: unknown) {
  const response = new Response(JSON.stringify(body), { status, statusText: 'x' });
  Object.defineProperty(response, 'url', { value: 'http://127.0.0.1/users/me/api-tokens' });
  return apiFailure(response, body, 'log in');
}

const errorBody = (code: number, error: string, message: string, detail: Record<string, unknown> = {}) => ({
  status: 'error', code, error, message, title: 'x', detail,
});

describe('HTTP errors → exit codes', () => {
  it('401 is exit 3 with what to do', () => {
    const error = failure(401, errorBody(401, 'invalid_token', 'The access token has been revoked.'));
    expect(exitCodeFor(error)).toBe(3);
    expect(error.message).toContain('log in');
  });
  it('403 is exit 6 and names the missing permission when the server does', () => {
    const error = failure(403, errorBody(403, 'forbidden', 'You may not do that.', { missing_permission: 'project:admin' }));
    expect(exitCodeFor(error)).toBe(6);
    expect(error.message).toBe('Permission denied: You may not do that.\nMissing permission: project:admin');
  });
  it('anything else is exit 1 with the server message', () => {
    const error = failure(409, errorBody(409, 'conflict', 'A token with this name exists.'));
    expect(exitCodeFor(error)).toBe(1);
    expect(error.message).toContain('A token with this name exists. (HTTP 409');
  });
});
