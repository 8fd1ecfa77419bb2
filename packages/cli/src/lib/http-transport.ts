import { CliError } from './errors.js';
import type { Io } from './io.js';
import { redactHeader, redactText } from './redact.js';

export type FetchFunction = (request: Request) => Promise<Response>;

export interface TransportOptions {
  timeoutSeconds: number;
  /** Appended to "cannot connect" errors: which setting holds the URL. */
  urlSettingHint: string;
  userAgent: string;
}

/**
 * The one place requests leave the process: adds the timeout and User-Agent, turns network
 * failures into "cannot connect" errors (exit 5) naming the URL, and shows the traffic at
 * -v (request lines), -vv (headers) and -vvv (bodies), with every secret redacted.
 */
export function createTransport(io: Io, options: TransportOptions): FetchFunction {
  return async (request) => {
    request.headers.set('user-agent', options.userAgent);
    await traceRequest(io, request);
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(request, { signal: AbortSignal.timeout(options.timeoutSeconds * 1000) });
    } catch (error) {
      throw connectionError(error, request.url, options);
    }
    await traceResponse(io, response, performance.now() - started);
    return response;
  };
}

function connectionError(error: unknown, url: string, options: TransportOptions): CliError {
  const origin = new URL(url).origin;
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new CliError('connection_failed', `The request to ${origin} timed out after ${options.timeoutSeconds} seconds.`);
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError('connection_failed', `Failed to connect to ${origin} (${reason}).\n${options.urlSettingHint}`);
}

async function traceRequest(io: Io, request: Request): Promise<void> {
  if (io.verbosity < 1) return;
  io.debug(1, `> ${request.method} ${redactText(request.url)}`);
  if (io.verbosity >= 2) traceHeaders(io, '>', request.headers);
  if (io.verbosity >= 3 && request.body) io.debug(3, `> ${redactText(await request.clone().text())}`);
}

async function traceResponse(io: Io, response: Response, elapsedMs: number): Promise<void> {
  if (io.verbosity < 1) return;
  io.debug(1, `< ${response.status} ${response.statusText} (${Math.round(elapsedMs)} ms)`);
  if (io.verbosity >= 2) traceHeaders(io, '<', response.headers);
  if (io.verbosity >= 3) {
    const body = await response.clone().text();
    if (body) io.debug(3, `< ${redactText(body)}`);
  }
}

function traceHeaders(io: Io, direction: string, headers: Headers): void {
  headers.forEach((value, name) => io.debug(2, `${direction} ${name}: ${redactHeader(name, value)}`));
}
