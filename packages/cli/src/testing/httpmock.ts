/**
 * Canned HTTP for command tests, after cli/cli's `pkg/httpmock`: a test registers the requests a
 * command should make and what each gets back; a request nobody registered fails (and is listed
 * by `verify`), and so does a registered one the command never made. Each stub answers once, in
 * registration order among those that match.
 */
import type { FetchFunction } from '../lib/http-transport.js';

export type RequestMatcher = (request: Request, url: URL) => boolean;
export type Responder = (request: Request) => Response | Promise<Response>;

interface Stub {
  label: string;
  matches: RequestMatcher;
  respond: Responder;
  used: boolean;
}

/** A request line, as the stubs and the failure messages name them. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The query string's parameters. */
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}

export class HttpMock {
  private readonly stubs: Stub[] = [];
  private readonly unexpected: string[] = [];
  /** Every request the command made, in order, with its decoded body. */
  readonly requests: SeenRequest[] = [];

  register(label: string, matches: RequestMatcher, respond: Responder): this {
    this.stubs.push({ label, matches, respond, used: false });
    return this;
  }

  /** `method path` (path without the query string), answered by `respond`. */
  on(method: string, path: string, respond: Responder): this {
    return this.register(`${method} ${path}`, (request, url) => request.method === method && url.pathname === path, respond);
  }

  /** What to inject as `ContextDependencies.sendRequest`. */
  readonly sendRequest: FetchFunction = async (request) => {
    const url = new URL(request.url);
    const body = await decodeBody(request.clone());
    this.requests.push({ method: request.method, path: url.pathname, query: url.searchParams, body, headers: request.headers });
    const stub = this.stubs.find((candidate) => !candidate.used && candidate.matches(request, url));
    if (!stub) {
      const line = `${request.method} ${url.pathname}${url.search}`;
      this.unexpected.push(line);
      throw new Error(`httpmock: no stub for ${line}`);
    }
    stub.used = true;
    const response = await stub.respond(request);
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  };

  /** Throws when a request had no stub or a stub was never requested. */
  verify(): void {
    const unused = this.stubs.filter((stub) => !stub.used).map((stub) => stub.label);
    const problems = [
      ...this.unexpected.map((line) => `unexpected request: ${line}`),
      ...unused.map((label) => `stub never requested: ${label}`),
    ];
    if (problems.length) throw new Error(`httpmock:\n  ${problems.join('\n  ')}`);
  }
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** An answer without a body (204, or a bare status). */
export function empty(status = 204): Responder {
  return () => new Response(null, { status });
}

/** Pier's error body, as `http/errors.ts` on the server writes it. */
export function apiError(status: number, code: string, message: string, detail: Record<string, unknown> = {}): Responder {
  return json(status, { code, message, detail });
}

async function decodeBody(request: Request): Promise<unknown> {
  const text = request.body ? await request.text() : '';
  if (!text) return undefined;
  if ((request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
