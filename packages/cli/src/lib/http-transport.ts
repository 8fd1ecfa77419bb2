import http from 'node:http';
import { CliError } from './errors.js';
import type { Io } from './io.js';
import { redactBody, redactHeader, redactText } from './redact.js';

export type FetchFunction = (request: Request) => Promise<Response>;

/**
 * A response whose body is read as it arrives (the NDJSON activity log), which the buffered
 * Response of FetchFunction cannot do.
 */
export interface StreamedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  /** The body chunk by chunk; ends when the server closes the response. */
  readonly body: AsyncIterable<Buffer>;
  /** The whole body, for error responses. */
  text(): Promise<string>;
  /** Stops reading and closes the connection. */
  close(): void;
}

export type StreamFunction = (request: Request) => Promise<StreamedResponse>;

export interface TransportOptions {
  timeoutSeconds: number;
  /** Appended to "cannot connect" errors: which setting holds the URL. */
  urlSettingHint: string;
  userAgent: string;
}

/**
 * The one place requests leave the process: sends them with node:http(s), adds the timeout and
 * User-Agent, turns network
 * failures into "cannot connect" errors (exit 5) naming the URL, and shows the traffic at
 * -v (request lines), -vv (headers) and -vvv (bodies), with every secret redacted.
 */
export function createTransport(io: Io, options: TransportOptions, sendRequest: FetchFunction = (request) => send(request, options.timeoutSeconds * 1000)): FetchFunction {
  return async (request) => {
    request.headers.set('user-agent', options.userAgent);
    await traceRequest(io, request);
    const started = performance.now();
    let response: Response;
    try {
      response = await sendRequest(request);
    } catch (error) {
      throw connectionError(error, request.url, options);
    }
    await traceResponse(io, response, performance.now() - started);
    return response;
  };
}

/**
 * The streaming twin of createTransport: same User-Agent, traces, redaction and "cannot connect"
 * errors; the timeout is the longest silence allowed between two chunks. With `sendRequest` (a
 * test's canned responses) the whole body arrives as one chunk.
 */
export function createStreamTransport(io: Io, options: TransportOptions, sendRequest?: FetchFunction): StreamFunction {
  if (sendRequest) return async (request) => bufferedAsStream(await createTransport(io, options, sendRequest)(request));
  return async (request) => {
    request.headers.set('user-agent', options.userAgent);
    await traceRequest(io, request);
    const started = performance.now();
    let incoming: http.IncomingMessage;
    try {
      incoming = await open(request, options.timeoutSeconds * 1000);
    } catch (error) {
      throw connectionError(error, request.url, options);
    }
    io.debug(1, `< ${incoming.statusCode ?? 0} ${incoming.statusMessage ?? ''} (${Math.round(performance.now() - started)} ms, streamed)`);
    if (io.verbosity >= 2) {
      for (const [name, value] of Object.entries(incoming.headers)) io.debug(2, `< ${name}: ${redactHeader(name, String(value))}`);
    }
    return streamedResponse(io, incoming, request.url, options);
  };
}

function streamedResponse(io: Io, incoming: http.IncomingMessage, url: string, options: TransportOptions): StreamedResponse {
  async function* body(): AsyncIterable<Buffer> {
    try {
      for await (const chunk of incoming as AsyncIterable<Buffer>) {
        if (io.verbosity >= 3) io.debug(3, `< ${redactBody(chunk.toString('utf8').trimEnd(), io.secrets)}`);
        yield chunk;
      }
    } catch (error) {
      if (incoming.destroyed && (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw connectionError(error, url, options);
    }
  }
  return {
    status: incoming.statusCode ?? 500,
    statusText: incoming.statusMessage ?? '',
    url,
    body: body(),
    async text() {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
    close: () => incoming.destroy(),
  };
}

/** A whole response as a stream of one chunk, for injected senders that have no streaming. */
function bufferedAsStream(response: Response): StreamedResponse {
  const body = response.arrayBuffer().then((bytes) => Buffer.from(bytes));
  return {
    status: response.status,
    statusText: response.statusText,
    url: response.url,
    body: (async function* () {
      yield await body;
    })(),
    text: async () => (await body).toString('utf8'),
    close: () => undefined,
  };
}

/** Sends the request and resolves with the response head; the body is left to the caller. */
async function open(request: Request, timeoutMs: number): Promise<http.IncomingMessage> {
  const url = new URL(request.url);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const client = url.protocol === 'https:' ? await import('node:https') : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      url,
      { method: request.method, headers: Object.fromEntries(request.headers), agent: false, timeout: timeoutMs },
      resolve,
    );
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Why not global fetch: on Node 20 its first connection compiles undici's WebAssembly HTTP
 * parser, and V8's background re-compilation of it holds process exit back by ~100 ms, more than
 * the whole budget of `pier auth:info`. node:http has neither cost. Request and Response stay the
 * standard classes, so the typed client (openapi-fetch) works unchanged.
 */
async function send(request: Request, timeoutMs: number): Promise<Response> {
  const incoming = await open(request, timeoutMs);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('error', reject);
    incoming.on('end', () => resolve(toResponse(incoming, Buffer.concat(chunks), request.url)));
  });
}

function toResponse(incoming: http.IncomingMessage, body: Buffer, url: string): Response {
  const status = incoming.statusCode ?? 500;
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const nullBody = status === 204 || status === 304 || body.length === 0;
  const response = new Response(nullBody ? null : new Uint8Array(body), { status, statusText: incoming.statusMessage ?? '', headers });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

function connectionError(error: unknown, url: string, options: TransportOptions): CliError {
  const origin = new URL(url).origin;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ETIMEDOUT') {
    return new CliError('connection_failed', `The request to ${origin} timed out after ${options.timeoutSeconds} seconds.`);
  }
  const reason = code ?? (error as Error).message;
  return new CliError('connection_failed', `Failed to connect to ${origin} (${reason}).\n${options.urlSettingHint}`);
}

async function traceRequest(io: Io, request: Request): Promise<void> {
  if (io.verbosity < 1) return;
  io.debug(1, `> ${request.method} ${redactText(request.url)}`);
  if (io.verbosity >= 2) traceHeaders(io, '>', request.headers);
  if (io.verbosity >= 3 && request.body) io.debug(3, `> ${redactBody(await request.clone().text(), io.secrets)}`);
}

async function traceResponse(io: Io, response: Response, elapsedMs: number): Promise<void> {
  if (io.verbosity < 1) return;
  io.debug(1, `< ${response.status} ${response.statusText} (${Math.round(elapsedMs)} ms)`);
  if (io.verbosity >= 2) traceHeaders(io, '<', response.headers);
  if (io.verbosity >= 3) {
    const body = await response.clone().text();
    if (body) io.debug(3, `< ${redactBody(body, io.secrets)}`);
  }
}

function traceHeaders(io: Io, direction: string, headers: Headers): void {
  headers.forEach((value, name) => io.debug(2, `${direction} ${name}: ${redactHeader(name, value)}`));
}
