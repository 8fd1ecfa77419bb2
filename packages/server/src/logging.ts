import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type PinoPretty from 'pino-pretty';

export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * Logs never carry secrets: request bodies are not logged, and every header or field that can
 * hold a credential is censored wherever it appears.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.api_token',
  '*.access_token',
  '*.refresh_token',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: stripQuery(req.url), ip: req.ip }),
    },
  };
}

/**
 * JSON lines for machines (files, journald, log shippers); on a terminal (`auto`), one coloured
 * line per event that a person can read. Redaction happens before either, in pino.
 */
export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  return usePrettyLogs(format, process.stdout.isTTY === true) ? pino(loggerOptions(level), prettyStream()) : pino(loggerOptions(level), jsonStream());
}

/** What a completed request's log line says: nothing else can reach it. */
export interface RequestLine {
  reqId: string;
  /** Through the `req` serializer: method, path without its query, address. */
  req: { method: string; url: string; ip?: string };
  statusCode: number;
  responseTime: number;
}

/**
 * Writes per-request lines (http/request-logging.ts) at `info`. Their fields are the fixed list
 * above, none of which can hold a secret once the serializer has hidden the query, so they skip
 * redaction, which cost more than the rest of a `GET /users/me`; the output is the same.
 */
export function requestLineWriter(logger: Logger): (line: RequestLine) => void {
  const lines = logger.child({}, { redact: { paths: [] } });
  return ({ reqId, req, statusCode, responseTime }) => lines.info({ reqId, req, res: { statusCode }, responseTime }, 'request completed');
}

/**
 * Standard output, written asynchronously: lines logged while a write is in flight go out
 * together in the next one (one system call per batch, not per line, under load). pino flushes
 * what is left synchronously when the process exits.
 */
function jsonStream(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

export function usePrettyLogs(format: LogFormat, stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/** Fields a request line says in its message (`GET /users/me 200 3 ms`) instead of as JSON. */
const REQUEST_FIELDS = ['req', 'res', 'responseTime', 'reqId'];

function prettyStream(): DestinationStream {
  // Loaded only for a terminal: JSON output never pays for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    colorize: process.stdout.isTTY === true,
    singleLine: true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: ['pid', 'hostname', ...REQUEST_FIELDS].join(','),
    messageFormat: (log, messageKey) => {
      const message = String(log[messageKey] ?? '');
      const req = log.req as { method?: string; url?: string } | undefined;
      const res = log.res as { statusCode?: number } | undefined;
      if (!req) return message;
      const time = typeof log.responseTime === 'number' ? ` ${log.responseTime.toFixed(1)} ms` : '';
      return `${req.method ?? ''} ${req.url ?? ''} ${res?.statusCode ?? ''}${time}${message === 'request completed' ? '' : ` ${message}`}`;
    },
  });
}

/**
 * Query strings can carry tokens, and an invitation's path holds its single-use token: only the
 * rest of the path is logged.
 */
function stripQuery(url: string): string {
  const index = url.indexOf('?');
  const path = index === -1 ? url : `${url.slice(0, index)}?[query hidden]`;
  return path.replace(/^\/invitations\/[^/?]+/, '/invitations/[token hidden]');
}
