import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/**
 * Text Pier cannot store or hand on faithfully is refused once, for every route, wherever it hides
 * in the path, the query or the body: a NUL character (PostgreSQL text refuses it, process
 * environments and git cannot carry it) and a lone surrogate (not Unicode: PostgreSQL would
 * silently store U+FFFD instead, and links built from it cannot be encoded).
 */
export function refuseUnstorableText(app: FastifyInstance): void {
  // A callback hook: every request passes here, and an async one costs a promise each time.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [location, value] of [
      ['path', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const field = fieldWithUnstorableText(value);
      if (field !== undefined) {
        const where = `${location}${field ? ` field "${field}"` : ''}`;
        done(new ApiError('invalid_request', `Invalid ${where}: text must be valid Unicode without NUL characters.`, { location, field }));
        return;
      }
    }
    done();
  });
}

const LONE_SURROGATE = /\p{Cs}/u;

function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** The dotted path of the first string (or key) Pier cannot store, '' for the value itself. */
function fieldWithUnstorableText(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  while (pending.length > 0) {
    const [current, where] = pending.pop()!;
    if (typeof current === 'string') {
      if (unstorable(current)) return where;
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        // The key itself may be the culprit: name it printable.
        const path = where ? `${where}.${key}` : key;
        if (unstorable(key)) return path.replace(/\p{Cs}/gu, '\uFFFD').replaceAll('\u0000', '\\0');
        pending.push([child, path]);
      }
    }
  }
  return undefined;
}
