import { createPierClient, type ErrorBody, type HalLink } from '@pier/api';

/**
 * The one API client of the console: same origin, the session cookie travels by itself, and every
 * state-changing request echoes the session's CSRF token as the server requires.
 */
export const api = createPierClient({ baseUrl: window.location.origin, credentials: 'same-origin' });

let csrfToken: string | null = null;
let onSessionLost: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 outside the login endpoints: the session has ended. */
export function whenSessionLost(listener: () => void): void {
  onSessionLost = listener;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

api.use({
  onRequest({ request }) {
    if (csrfToken && !safeMethods.has(request.method)) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && !path.startsWith('/auth/') && !path.startsWith('/invitations/')) onSessionLost();
    return response;
  },
});

/** An API error with the server's human-readable message, ready to show. */
export class ApiProblem extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

function problemFrom(error: unknown, response: Response): ApiProblem {
  const body = (typeof error === 'object' && error !== null ? error : {}) as Partial<ErrorBody> & { error_description?: string };
  const message = body.message ?? body.error_description ?? `The server answered ${response.status} ${response.statusText}.`;
  return new ApiProblem(message, response.status, typeof body.error === 'string' ? body.error : 'error', body.detail ?? {});
}

/** Unwraps an openapi-fetch result: the typed body, or an ApiProblem carrying the server's message. */
export async function must<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch {
    throw new ApiProblem('The server could not be reached. Check your connection and try again.', 0, 'network_error');
  }
  if (!result.response.ok) throw problemFrom(result.error, result.response);
  return result.data as T;
}

/** A HAL action link (`#edit`, `#backup`…) is present only when the caller may perform it. */
export function can(resource: { _links?: Record<string, HalLink | undefined> } | null | undefined, rel: string): boolean {
  return Boolean(resource?._links?.[rel]);
}

/** The same-origin path of an absolute HAL href (the server's public URL may differ behind a proxy). */
export function sameOriginPath(href: string): string {
  const url = new URL(href, window.location.origin);
  return `${url.pathname}${url.search}`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
