import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isUniqueViolation } from '../db/errors.js';

/** Machine-readable error codes, each with its HTTP status. One table for the whole API. */
export const errorStatus = {
  invalid_request: 400,
  invalid_token: 401,
  authentication_required: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof errorStatus;

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

export class ApiError extends Error {
  readonly status: number;
  /** Fastify's name for the status: error handlers of other plugins (OAuth2) read it. */
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = errorStatus[code];
    this.statusCode = this.status;
  }
}

/**
 * The error body: Platform.sh clients print `message`/`title`/`detail`; `error` is our stable
 * machine-readable code.
 */
export const ErrorBody = Type.Object(
  {
    status: Type.Literal('error'),
    code: Type.Integer({ description: 'HTTP status code' }),
    error: Type.String({ description: 'Machine-readable error code' }),
    message: Type.String(),
    title: Type.String(),
    detail: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Error' },
);

export function errorBody(status: number, code: string, message: string, detail: Record<string, unknown> = {}) {
  return { status: 'error' as const, code: status, error: code, message, title: titles[status] ?? 'Error', detail };
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
};

/** Maps every thrown error to a clear 4xx body; only unexpected faults become a logged 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.code === 'invalid_token' || error.code === 'authentication_required') {
        reply.header('www-authenticate', error.code === 'invalid_token' ? 'Bearer error="invalid_token"' : 'Bearer');
      }
      return reply.status(error.status).send(errorBody(error.status, error.code, error.message, error.detail));
    }
    if (error.validation) {
      const field = error.validation[0]?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
      const where = error.validationContext ?? 'body';
      const message = `Invalid ${where}${field ? ` field "${field}"` : ''}: ${error.validation[0]?.message ?? 'invalid value'}`;
      return reply.status(400).send(errorBody(400, 'invalid_request', message, { location: where, field }));
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return reply.status(errorStatus[mapped]).send(errorBody(errorStatus[mapped], mapped, error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(errorBody(error.statusCode, 'invalid_request', error.message));
    }
    if (isUniqueViolation(error)) {
      // A race between two identical creations that the route's own check could not see.
      return reply.status(409).send(errorBody(409, 'conflict', 'This conflicts with a change made at the same time. Reload and try again.'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody(500, 'internal_error', 'An unexpected error occurred.'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or URL too long, broken
 * request lines, slow clients) get the same error body as every other refusal.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request line or headers are too large (16 KiB at most): send long values in the body.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'invalid_request', 'The request is not valid HTTP.'];
  const body = JSON.stringify(errorBody(status, code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/** Errors Fastify raises before routing (a URL that does not decode) get the usual error body. */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid: check its percent-encoding.' : error.message;
  void reply.status(400).send(errorBody(400, 'invalid_request', message));
}
