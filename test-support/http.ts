/** Small fetch wrappers for tests: real HTTP, the response status and parsed body. */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
}

/**
 * Sends one request through `send` (the network's `fetch`, or an in-process server's `inject`)
 * and answers its status and body, parsed when it is JSON.
 */
export async function requestThrough<T = Record<string, unknown>>(send: (request: Request) => Promise<Response>, url: string, init: RawRequest = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const response = await send(new Request(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body }));
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** A request over real HTTP. */
export function request<T = Record<string, unknown>>(url: string, init: RawRequest = {}): Promise<JsonResponse<T>> {
  return requestThrough<T>(fetch, url, init);
}

export function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` };
}

export const cliClient = { authorization: `Basic ${Buffer.from('pier-cli:').toString('base64')}` };
