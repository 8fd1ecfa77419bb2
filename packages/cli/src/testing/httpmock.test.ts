import { expect, it } from 'vitest';
import { empty, HttpMock, json } from './httpmock.js';

it('answers each stub once, and verify names unexpected requests and unused stubs', async () => {
  const http = new HttpMock().on('GET', '/a', json(200, { ok: true })).on('DELETE', '/b', empty());
  const answer = await http.sendRequest(new Request('http://pier.test/a?x=1'));
  expect(await answer.json()).toEqual({ ok: true });
  expect(answer.url).toBe('http://pier.test/a?x=1');
  await expect(http.sendRequest(new Request('http://pier.test/a'))).rejects.toThrow('httpmock: no stub for GET /a');
  expect(() => http.verify()).toThrow('unexpected request: GET /a\n  stub never requested: DELETE /b');
});

it('decodes JSON and form bodies for assertions', async () => {
  const http = new HttpMock().on('POST', '/json', empty()).on('POST', '/form', empty());
  await http.sendRequest(new Request('http://pier.test/json', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
  await http.sendRequest(new Request('http://pier.test/form', { method: 'POST', body: 'grant_type=api_token', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
  expect(http.requests.map((request) => request.body)).toEqual([{ a: 1 }, { grant_type: 'api_token' }]);
  http.verify();
});
