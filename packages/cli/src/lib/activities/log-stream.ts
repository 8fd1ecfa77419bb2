import { apiFailure, withBearerToken } from '../api-client.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { StreamedResponse } from '../http-transport.js';
import type { Activity } from './activity.js';

export interface LogLine {
  /** The line's index in the log, as a string (`_id`). */
  id: string;
  timestamp: string;
  message: string;
}

export interface FollowOptions {
  /** Called once per line, in order, never twice for the same `_id`. */
  onLine(line: LogLine): void;
  /** Stops following (the monitor saw the activity end without a seal, or gave up). */
  signal?: AbortSignal;
  /** Seconds the server may hold one response open waiting for new lines. */
  maxDelay?: number;
  /** Called when a response ended without the seal, before the log is re-opened. */
  onUnsealed?: () => void;
}

/** How long to keep re-opening a log that fails to open, as the Platform.sh CLI does (2 min). */
const REOPEN_FOR_MS = 120_000;
const REOPEN_EVERY_MS = 500;

/**
 * Follows an activity's log (`_links.log`, NDJSON) until the `{"seal": true}` line. Each
 * response is bounded by `max_delay`; on its end, or a dropped connection, the log is re-opened
 * with `start_at` = the next index, and lines are de-duplicated by `_id` in case the server
 * repeats one. Returns true once sealed, false if stopped by the signal first.
 */
export async function followActivityLog(ctx: Context, activity: Activity, options: FollowOptions): Promise<boolean> {
  const href = activity._links.log?.href;
  if (!href) throw new CliError('generic', `The activity ${activity.id} has no log.`);
  const open = withBearerToken(ctx.authSession(), ctx.streamTransport, (response: StreamedResponse) => response.close());
  const seen = new Set<string>();
  let next = 0;
  let failingSince: number | undefined;
  while (!options.signal?.aborted) {
    const url = new URL(href);
    url.searchParams.set('start_at', String(next));
    url.searchParams.set('max_delay', String(options.maxDelay ?? 10));
    let response: StreamedResponse;
    try {
      response = await open(new Request(url.toString(), { headers: { accept: 'application/x-ndjson' } }));
    } catch (error) {
      // A connection that cannot be opened is retried for a while, then reported (exit 5).
      failingSince ??= Date.now();
      if (!(error instanceof CliError) || error.code !== 'connection_failed' || Date.now() - failingSince > REOPEN_FOR_MS) throw error;
      ctx.io.debug(1, `The log could not be opened; retrying: ${error.message}`);
      await pause(REOPEN_EVERY_MS, options.signal);
      continue;
    }
    failingSince = undefined;
    if (response.status !== 200) {
      const text = await response.text();
      throw apiFailure(errorResponse(response), parseJson(text), ctx.loginHelp());
    }
    const abort = () => response.close();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      let buffered = '';
      for await (const chunk of response.body) {
        buffered += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const raw = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!raw) continue;
          const item = parseJson(raw) as { _id?: unknown; seal?: unknown; data?: { timestamp?: unknown; message?: unknown } } | undefined;
          if (item?.seal === true) return true;
          if (item?._id === undefined) continue;
          const id = String(item._id);
          const index = Number(id);
          if (Number.isInteger(index) && index >= next) next = index + 1;
          if (seen.has(id)) continue;
          seen.add(id);
          options.onLine({ id, timestamp: String(item.data?.timestamp ?? ''), message: String(item.data?.message ?? '') });
        }
      }
      options.onUnsealed?.();
    } catch (error) {
      if (options.signal?.aborted) break;
      // A dropped connection mid-stream: re-open from the next index.
      if (!(error instanceof CliError) || error.code !== 'connection_failed') throw error;
      ctx.io.debug(1, `The log stream was interrupted; re-opening: ${error.message}`);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      response.close();
    }
  }
  return false;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Enough of a Response for apiFailure: the status and where it came from. */
function errorResponse(response: StreamedResponse): Response {
  return { status: response.status, statusText: response.statusText, url: response.url } as Response;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
