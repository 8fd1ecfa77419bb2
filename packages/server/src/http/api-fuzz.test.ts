/**
 * Walks every operation of the server's own OpenAPI document with generated input — wrong types,
 * missing and extra fields, huge strings, NUL and lone surrogates, leap seconds, 1e300 and -1,
 * traversal and unicode ids, bad JSON, wrong content types, odd Authorization headers — and
 * asserts what a client must always get: no 5xx, and a JSON error body with a code on every
 * refusal. Fixed seed; PIER_FUZZ_RUNS and PIER_FUZZ_SEED run more or other requests.
 *
 * In process (`inject`): the thousands of requests then cost the server's work, not a client's
 * and a socket's each. Node's HTTP layer in front of the same app is what server-smoke.test.ts and
 * the CLI, SSH and console suites go through.
 */
import { buffer } from 'node:stream/consumers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { fuzzFixture } from '../../../../test-support/fuzz/fixture.js';
import { operationsOf, requestFor, type FuzzRequest } from '../../../../test-support/fuzz/openapi-requests.js';

const runs = Number(process.env.PIER_FUZZ_RUNS ?? 5_000);
const seed = Number(process.env.PIER_FUZZ_SEED ?? 20_261_130);

/** What is wrong with the answer to `fuzzed`, if anything. */
async function problemWith(app: FastifyInstance, fuzzed: FuzzRequest, statuses: Map<string, Set<number>>): Promise<string | undefined> {
  // As a stream: an answer is complete once its head is written (activity logs stream on).
  const response = await app.inject({
    method: fuzzed.method as 'GET',
    url: fuzzed.url,
    headers: fuzzed.headers,
    ...(fuzzed.body === undefined ? {} : { payload: fuzzed.body }),
    payloadAsStream: true,
  });
  const status = response.statusCode;
  const seen = statuses.get(fuzzed.operation) ?? new Set<number>();
  statuses.set(fuzzed.operation, seen.add(status));
  const type = String(response.headers['content-type'] ?? '');
  // Streams (activity logs) and files: the status is the answer; do not wait for the end.
  if (status < 400 && !type.startsWith('application/json')) return undefined;
  const text = (await buffer(response.stream())).toString('utf8');
  if (status >= 500) return `server error ${status}: ${text.slice(0, 300)}`;
  if (status < 400) return undefined;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `refusal ${status} without a JSON body: ${JSON.stringify(text.slice(0, 200))}`;
  }
  if (typeof body.error !== 'string') return `refusal ${status} without a machine-readable error: ${text.slice(0, 200)}`;
  // The OAuth2 endpoints answer in the RFC 6749 shape {error, error_description}; the rest in Pier's.
  if (!fuzzed.url.startsWith('/oauth2/') && body.code !== status) return `refusal ${status} whose body says code ${String(body.code)}`;
  return undefined;
}

describe.each(databaseKinds())('every OpenAPI operation under generated, malformed input (%s)', (kind) => {
  // No worker: queued activities stay queued, so the run is deterministic. Their log streams wait
  // a second at most: nobody reads them to the end.
  const ctx = useInProcessServer(kind, { env: { PIER_LOG_STREAM_MAX_SECONDS: '1' } });

  it(`answers ${runs} requests (seed ${seed}) without a 5xx, every refusal a JSON error with a code`, async () => {
    const pools = await fuzzFixture(ctx.server);
    const document = await rawRequest<Parameters<typeof operationsOf>[0]>(ctx.server, '/openapi.json');
    const operations = operationsOf(document.body);
    expect(operations.length).toBeGreaterThan(60);
    const statuses = new Map<string, Set<number>>();

    await fc.assert(
      fc.asyncProperty(requestFor(operations, pools), async (fuzzed) => {
        const problem = await problemWith(ctx.server.app, fuzzed, statuses);
        if (problem) throw new Error(problem);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );

    if (process.env.PIER_FUZZ_REPORT) console.log([...statuses].map(([op, seen]) => `${op}: ${[...seen].sort().join(" ")}`).join("\n"));
    // Every operation was tried, and most of them got past validation at least once.
    expect(statuses.size).toBe(operations.length);
    const reached = [...statuses.values()].filter((seen) => [...seen].some((status) => status < 400 || status === 403 || status === 409)).length;
    expect(reached).toBeGreaterThan(operations.length * 0.6);
    expect(ctx.server.output()).not.toContain('unhandled error');
  }, 600_000);
});
