import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/**
 * No Pier field can hold a NUL character: PostgreSQL text refuses it (a 500 in the middle of a
 * transaction), process environments and git cannot carry it. Refuse it once, for every route,
 * wherever it hides in the path, the query or the body.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [location, value] of [
      ['path', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const field = fieldWithNul(value);
      if (field !== undefined) {
        throw new ApiError('invalid_request', `Invalid ${location}${field ? ` field "${field}"` : ''}: text must not contain NUL characters.`, { location, field });
      }
    }
  });
}

/** The dotted path of the first string (or key) holding a NUL, '' for the value itself. */
function fieldWithNul(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  while (pending.length > 0) {
    const [current, where] = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return where;
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const path = where ? `${where}.${key}` : key;
        if (key.includes('\u0000')) return path;
        pending.push([child, path]);
      }
    }
  }
  return undefined;
}
