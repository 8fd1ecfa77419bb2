import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
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
