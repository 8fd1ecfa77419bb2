/**
 * How tests call a server: `apiAs(server, headers)` is `@pier/api`'s typed client (paths,
 * parameters, bodies and answers from the OpenAPI document), and `rawRequest` sends what the
 * contract does not allow (malformed bodies, unknown paths, a route chosen at run time). An
 * in-process server answers through its own `fetch` (Fastify `inject`); a listening or spawned
 * one over real HTTP.
 */
import { createPierClient, type PierClient } from '@pier/api';
import type { InProcessServer } from './in-process.js';
import { requestThrough, type JsonResponse, type RawRequest } from './http.js';

export type { RawRequest };

type Reachable = Pick<InProcessServer, 'url'> & Partial<Pick<InProcessServer, 'fetch'>>;

/** How a request reaches `server`: its own `fetch` in process, real HTTP otherwise. */
const fetchOf = (server: Reachable) => (request: Request): Promise<Response> => (server.fetch ? server.fetch(request) : fetch(request));

/** The typed client, sending `headers` (e.g. an actor's bearer header) with every request. */
export function apiAs(server: Reachable, headers: Record<string, string> = {}): PierClient {
  return createPierClient({ baseUrl: server.url, fetch: fetchOf(server), headers });
}

/** Any request at all, answered with its status and its body (parsed when it is JSON). */
export function rawRequest<T = Record<string, unknown>>(server: Reachable, path: string, init: RawRequest = {}): Promise<JsonResponse<T>> {
  return requestThrough<T>(fetchOf(server), `${server.url}${path}`, init);
}
