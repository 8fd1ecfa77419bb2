import fc from 'fast-check';
import { nastyPathSegments, nastyStrings } from './nasty-values.js';
import { valueFor, type JsonSchema } from './schema-arbitrary.js';

/** One operation of the OpenAPI document, as the fuzzer needs it. */
export interface Operation {
  method: string;
  path: string;
  query: Array<{ name: string; schema: JsonSchema }>;
  body?: { contentType: string; schema: JsonSchema };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema: JsonSchema }>; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const [contentType, content] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        ...(contentType && content ? { body: { contentType, schema: content.schema } } : {}),
      };
    }),
  );
}

/** Real values for path parameters (so requests reach the handlers), by parameter name. */
export type PathValues = Record<string, readonly string[]>;

export interface FuzzPools {
  pathValues: PathValues;
  /** DELETE requests get these instead, so the fuzzer does not delete what the rest needs. */
  destructivePathValues: PathValues;
  /** Authorization header values that work (most requests) and odd ones. */
  validAuthorizations: readonly string[];
  oddAuthorizations: readonly string[];
}

export interface FuzzRequest {
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export function requestFor(operations: readonly Operation[], pools: FuzzPools): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((operation) =>
    fc
      .record({
        path: pathFor(operation, pools),
        query: queryFor(operation),
        body: bodyFor(operation),
        authorization: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...pools.validAuthorizations) },
          { weight: 2, arbitrary: fc.constantFrom(...pools.oddAuthorizations) },
        ),
        cookie: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('pier_session=abc', 'pier_session=%00', 'pier_session=') }),
      })
      .map(({ path, query, body, authorization, cookie }) => describedShortly({
        operation: `${operation.method} ${operation.path}`,
        method: operation.method,
        url: `${path}${query}`,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(cookie ? { cookie, 'x-csrf-token': 'wrong' } : {}),
          ...(body ? { 'content-type': body.contentType } : {}),
        },
        ...(body ? { body: body.text } : {}),
      })),
  );
}

/** A failing request is printed by fast-check: keep huge generated values readable. */
function describedShortly(request: FuzzRequest): FuzzRequest {
  const cut = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…(${text.length} chars)` : text);
  return Object.assign(request, {
    [fc.toStringMethod]: () => `${request.method} ${cut(request.url)} ${JSON.stringify(request.headers, (_k, v: unknown) => (typeof v === 'string' ? cut(v) : v))} ${cut(request.body ?? '')}`,
  });
}

function pathFor(operation: Operation, pools: FuzzPools): fc.Arbitrary<string> {
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const values = operation.method === 'DELETE' ? { ...pools.pathValues, ...pools.destructivePathValues } : pools.pathValues;
  const segment = (name: string) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...(values[name] ?? ['unknown'])).map(encodeSegment) },
      { weight: 1, arbitrary: fc.constantFrom(...nastyStrings).map(encodeSegment) },
      { weight: 1, arbitrary: fc.constantFrom(...nastyPathSegments) },
    );
  return fc.tuple(...names.map(segment)).map((segments) => names.reduce((path, name, i) => path.replace(`{${name}}`, segments[i]!), operation.path));
}

/** Like encodeURIComponent, but a lone surrogate goes on the wire as its (invalid) UTF-8 bytes. */
function encodeSegment(text: string): string {
  return Array.from(text, (char) => {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(char);
  }).join('');
}

function queryFor(operation: Operation): fc.Arbitrary<string> {
  const parameters = fc.record(Object.fromEntries(operation.query.map((p) => [p.name, valueFor(p.schema)])), { requiredKeys: [] });
  const raw = fc.oneof(
    { weight: 12, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('&%zz=1', '&a=%', '&start_at=1e300&count=-1', '&count[]=1&count[]=2', `&big=${'q'.repeat(20_000)}`, '&%00=%00') },
  );
  return fc.tuple(parameters, raw).map(([values, extra]) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) {
      for (const item of Array.isArray(value) ? value : [value]) search.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
    const text = `${search.toString()}${extra}`;
    return text ? `?${text.replace(/^&/, '')}` : '';
  });
}

const badJson = ['{', '[1,', '', 'null', '"text"', '{"a":1}{', '{"__proto__":{"is_admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '['.repeat(10_000), '\u0000'];
const oddContentTypes = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'application/JSON', ''];

function bodyFor(operation: Operation): fc.Arbitrary<{ contentType: string; text: string } | undefined> {
  const declared = operation.body;
  if (!declared) {
    if (operation.method === 'GET') return fc.constant(undefined);
    return fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...badJson).map((text) => ({ contentType: 'application/json', text })) });
  }
  const encode = (value: unknown) => (declared.contentType === 'application/json' ? JSON.stringify(value) : formEncode(value));
  return fc.oneof(
    { weight: 12, arbitrary: valueFor(declared.schema).map((value) => ({ contentType: declared.contentType, text: encode(value) ?? '' })) },
    { weight: 1, arbitrary: fc.constantFrom(...badJson).map((text) => ({ contentType: declared.contentType, text })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...oddContentTypes), valueFor(declared.schema)).map(([contentType, value]) => ({ contentType, text: JSON.stringify(value) ?? '' })) },
  );
}

function formEncode(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  return new URLSearchParams(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
}
