/**
 * Just enough of the WHATWG Headers, Request and Response classes for the typed client
 * (openapi-fetch) and our node:http transport. build.mjs injects them into the bundle in place
 * of the globals. Why: on Node 20 the first touch of a global `Headers` loads undici, 20–40 ms
 * measured on the 2-core machine, which alone would break the 100 ms budget of `auth:info`.
 * Unbundled code (unit tests) keeps the real globals; both behave alike for what we use.
 */
type HeaderPairs = Iterable<readonly [string, string]>;
type HeadersLike = LiteHeaders | HeaderPairs | Record<string, string | readonly string[]>;

function isIterable(value: unknown): value is HeaderPairs {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

export class LiteHeaders {
  private readonly map = new Map<string, string>();

  constructor(init?: HeadersLike) {
    if (!init) return;
    if (isIterable(init)) for (const [name, value] of init) this.append(name, value);
    else for (const [name, value] of Object.entries(init)) for (const item of [value].flat()) this.append(name, item);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const previous = this.map.get(key);
    this.map.set(key, previous === undefined ? String(value) : `${previous}, ${value}`);
  }

  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), String(value));
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }

  forEach(callback: (value: string, name: string, headers: LiteHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    yield* [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

type BodyLike = string | Uint8Array | ArrayBuffer | URLSearchParams | null | undefined;

function toBytes(body: BodyLike): Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return new TextEncoder().encode(String(body));
}

/** Body reading shared by requests and responses. */
abstract class LiteBody {
  bodyUsed = false;

  constructor(readonly body: Uint8Array | null) {}

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = this.body ?? new Uint8Array();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.arrayBuffer());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

interface LiteRequestInit {
  method?: string;
  headers?: HeadersLike;
  body?: BodyLike;
}

export class LiteRequest extends LiteBody {
  readonly url: string;
  readonly method: string;
  readonly headers: LiteHeaders;

  constructor(input: string | URL | LiteRequest, init: LiteRequestInit = {}) {
    const source = input instanceof LiteRequest ? input : undefined;
    super(init.body !== undefined ? toBytes(init.body) : (source?.body ?? null));
    this.url = source ? source.url : String(input);
    this.method = (init.method ?? source?.method ?? 'GET').toUpperCase();
    this.headers = new LiteHeaders(init.headers ?? source?.headers);
  }

  clone(): LiteRequest {
    return new LiteRequest(this);
  }
}

interface LiteResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersLike;
}

export class LiteResponse extends LiteBody {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LiteHeaders;
  readonly ok: boolean;
  readonly url: string = '';

  constructor(body?: BodyLike, init: LiteResponseInit = {}) {
    super(toBytes(body));
    this.status = init.status ?? 200;
    this.statusText = init.statusText ?? '';
    this.headers = new LiteHeaders(init.headers);
    this.ok = this.status >= 200 && this.status < 300;
  }

  clone(): LiteResponse {
    const copy = new LiteResponse(this.body, { status: this.status, statusText: this.statusText, headers: this.headers });
    Object.defineProperty(copy, 'url', { value: this.url });
    return copy;
  }
}

/** Never constructed: openapi-fetch only asks `body instanceof FormData`. */
export class LiteFormData {}

export { LiteHeaders as Headers, LiteRequest as Request, LiteResponse as Response, LiteFormData as FormData };
