import { describe, expect, it } from 'vitest';
import { LiteHeaders, LiteRequest, LiteResponse } from './fetch-primitives.js';

describe('the bundle’s lightweight fetch classes behave like the standard ones we replace', () => {
  it('Headers: case-insensitive, combined on append, iterated sorted and lower-cased', () => {
    const headers = new LiteHeaders({ 'Content-Type': 'application/json', Accept: ['a', 'b'] });
    headers.append('X-Seen', '1');
    headers.set('x-seen', '2');
    expect(headers.get('content-type')).toBe('application/json');
    expect([...headers]).toEqual([...new Headers([['accept', 'a, b'], ['content-type', 'application/json'], ['x-seen', '2']])]);
    headers.delete('ACCEPT');
    expect(headers.has('accept')).toBe(false);
  });

  it('Request: body from strings and form params, clone keeps everything', async () => {
    const request = new LiteRequest('http://127.0.0.1/oauth2/token', {
      method: 'post',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'api_token' }),
    });
    const copy = request.clone();
    copy.headers.set('authorization', 'Bearer x');
    expect(request.method).toBe('POST');
    expect(request.headers.has('authorization')).toBe(false);
    expect(await copy.text()).toBe('grant_type=api_token');
    expect(new LiteRequest('http://127.0.0.1/').body).toBeNull();
  });

  it('Response: status, ok, json and text', async () => {
    const response = new LiteResponse('{"a":1}', { status: 201, headers: [['Content-Length', '7']] });
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-length')).toBe('7');
    expect(await response.clone().json()).toEqual({ a: 1 });
    expect(await response.text()).toBe('{"a":1}');
    expect(new LiteResponse(null, { status: 404 }).ok).toBe(false);
  });
});
