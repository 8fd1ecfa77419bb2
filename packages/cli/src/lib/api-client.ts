import { createPierClient, type ErrorBody, type PierClient } from '@pier/api';
import type { AuthSession } from './auth-session.js';
import { CliError } from './errors.js';
import type { FetchFunction } from './http-transport.js';

/**
 * The typed client (paths and shapes from the OpenAPI document) with a bearer token on every
 * request. A 401 means the cached access token went bad early (revoked, server key rotated): the
 * API token is exchanged again and the request retried once; a second 401 is final.
 */
/**
 * The typed client over our transport. `Request` is passed explicitly because openapi-fetch
 * otherwise reads `globalThis.Request`, which the bundle's lightweight classes cannot replace
 * (see fetch-primitives.ts).
 */
export function typedClient(baseUrl: string, fetch: FetchFunction, headers?: Record<string, string>): PierClient {
  return createPierClient({ baseUrl, fetch, Request, ...(headers ? { headers } : {}) });
}

export function createAuthenticatedClient(session: AuthSession, apiUrl: string, transport: FetchFunction): PierClient {
  return typedClient(apiUrl, withBearerToken(session, transport));
}

/**
 * Any transport (buffered or streaming) with the bearer token and the single retry after a 401.
 * `release` frees a rejected response before the retry (a stream's open connection).
 */
export function withBearerToken<R extends { status: number }>(
  session: AuthSession,
  transport: (request: Request) => Promise<R>,
  release: (response: R) => void = () => undefined,
): (request: Request) => Promise<R> {
  return async (request) => {
    const retry = request.clone();
    const token = await session.accessToken();
    request.headers.set('authorization', `Bearer ${token}`);
    const response = await transport(request);
    if (response.status !== 401) return observed(session, response);
    release(response);
    const fresh = await session.refreshAfterRejection(token);
    retry.headers.set('authorization', `Bearer ${fresh}`);
    return observed(session, await transport(retry));
  };
}

/** Responses with headers (not the streamed log) may say the API token expires soon. */
function observed<R>(session: AuthSession, response: R): R {
  const headers = (response as { headers?: Pick<Headers, 'get'> }).headers;
  if (typeof headers?.get === 'function') session.observeResponse(headers);
  return response;
}

interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The response body of a successful call, or the error a user should see. */
export function expectData<T>(result: ApiResult<T>, authHelp: string): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  throw apiFailure(result.response, result.error, authHelp);
}

export function expectSuccess(result: ApiResult<unknown>, authHelp: string): void {
  if (!result.response.ok) throw apiFailure(result.response, result.error, authHelp);
}

/** HTTP status → CLI error: 401 is exit 3, 403 exit 6 (naming the permission when the server does). */
export function apiFailure(response: Response, error: unknown, authHelp: string): CliError {
  const body = isErrorBody(error) ? error : undefined;
  const serverMessage = body?.message ?? response.statusText;
  if (response.status === 401) {
    return new CliError('authentication_required', `Authentication is required: ${serverMessage}\n\n${authHelp}`);
  }
  if (response.status === 403) {
    // The server's policy module names it in detail.missing_permission.
    const permission = body?.detail.missing_permission ?? body?.detail.permission;
    const missing = typeof permission === 'string' ? `\nMissing permission: ${permission}` : '';
    return new CliError('permission_denied', `Permission denied: ${serverMessage}${missing}`);
  }
  return new CliError('generic', `${serverMessage} (HTTP ${response.status} from ${new URL(response.url).pathname})`);
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'message' in value && 'detail' in value;
}
