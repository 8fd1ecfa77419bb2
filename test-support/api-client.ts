/**
 * How tests call an in-process server: `apiAs(server, headers)` is `@pier/api`'s typed client
 * (paths, parameters, bodies and answers from the OpenAPI document), and `rawRequest` sends what
 * the contract does not allow (malformed bodies, unknown paths, a route chosen at run time).
 */
import { createPierClient, type PierClient } from '@pier/api';
import type { InProcessServer } from './in-process.js';
import type { JsonResponse } from './http.js';

type Reachable = Pick<InProcessServer, 'url' | 'fetch'>;

/** The typed client, sending `headers` (e.g. an actor's bearer header) with every request. */
export function apiAs(server: Reachable, headers: Record<string, string> = {}): PierClient {
  return createPierClient({ baseUrl: server.url, fetch: (request) => server.fetch(request), headers });
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
}

/** Any request at all, answered with its status and its body (parsed when it is JSON). */
export async function rawRequest<T = Record<string, unknown>>(server: Reachable, path: string, init: RawRequest = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const response = await server.fetch(new Request(`${server.url}${path}`, { method, headers, body }));
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
