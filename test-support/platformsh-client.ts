/**
 * Replays what the real Platform.sh CLI (legacy CLI v4.30) sends and reads, as recorded in
 * shared/research/platformsh-cli-wire.md and the CLI's client library (platformsh/client-php):
 * form-encoded token exchange as client `platform-cli`, HAL links followed as given, signed
 * `ref:*` links resolved into the data, and `starts_at` sent without URL-encoding. It is a test
 * double of the client's HTTP behaviour, not the CLI itself.
 */
import { request, type JsonResponse } from './http.js';
import { rawRequest, type RawRequest } from './api-client.js';
import type { InProcessServer } from './in-process.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class PlatformshClient {
  private accessToken = '';

  /** With `inProcess`, requests go through its `inject` instead of the network; `url` is then its public URL. */
  constructor(
    readonly url: string,
    private readonly inProcess?: Pick<InProcessServer, 'url' | 'fetch'>,
  ) {}

  private send<T>(url: string, init: RawRequest): Promise<JsonResponse<T>> {
    if (!this.inProcess) return request<T>(url, init);
    const target = new URL(url);
    return rawRequest<T>(this.inProcess, target.pathname + target.search, init);
  }

  /** `auth:api-token-login` / `PLATFORMSH_CLI_TOKEN`: the exchange the CLI makes. */
  async login(apiToken: string): Promise<JsonResponse> {
    const response = await this.send<Json>(`${this.url}/oauth2/token`, {
      headers: { authorization: `Basic ${Buffer.from('platform-cli:').toString('base64')}` },
      form: { api_token: apiToken, scope: '', grant_type: 'api_token' },
    });
    if (response.status === 200) this.accessToken = String(response.body.access_token);
    return response;
  }

  /** The user id the CLI takes from the access token's `sub` claim (no request). */
  myUserId(): string {
    const claims = JSON.parse(Buffer.from(this.accessToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
    if (!/^[a-zA-Z0-9-]+$/.test(claims.sub)) throw new Error(`unusable sub claim: ${claims.sub}`);
    return claims.sub;
  }

  /** One API call as the CLI sends it: bearer token, gzip, no Accept header; hrefs resolved like Guzzle. */
  call<T = Json>(method: string, href: string, json?: unknown): Promise<JsonResponse<T>> {
    const url = new URL(href, this.url).toString();
    return this.send<T>(url, { method, headers: { authorization: `Bearer ${this.accessToken}`, 'accept-encoding': 'gzip' }, ...(json === undefined ? {} : { json }) });
  }

  /** GET that must succeed; the body, with `ref:*` links resolved as client-php's Resolver does. */
  async get<T = Json>(href: string): Promise<T> {
    const response = await this.call<T>('GET', href);
    if (response.status !== 200) throw new Error(`GET ${href}: ${response.status} ${JSON.stringify(response.body)}`);
    return (await this.resolveReferences(response.body as Json)) as T;
  }

  /** `ResourceWithReferences`: each `ref:<set>:<n>` link is fetched and merged under `ref:<set>`. */
  async resolveReferences(data: Json): Promise<Json> {
    if (Array.isArray(data) || !data?._links) return data;
    for (const [rel, link] of Object.entries(data._links as Record<string, { href: string }>)) {
      const parts = rel.split(':');
      if (parts[0] !== 'ref' || parts.length !== 3) continue;
      const resolved = await this.call('GET', link.href);
      if (resolved.status !== 200) throw new Error(`Unable to resolve references: status code ${resolved.status}`);
      data[`ref:${parts[1]}`] = { ...(data[`ref:${parts[1]}`] ?? {}), ...resolved.body };
    }
    return data;
  }

  /** `Resource::getLink`: a missing rel is the CLI's "Link not found: #x". */
  link(resource: Json, rel: string): string {
    const href = resource._links?.[rel]?.href;
    if (typeof href !== 'string') throw new Error(`Link not found: ${rel}`);
    return href;
  }

  /** `getProject` then `getEnvironments`: what -p/-e selection costs. */
  async environment(projectId: string, environmentId: string): Promise<{ project: Json; environment: Json }> {
    const project = await this.get(`/projects/${projectId}`);
    const environments = await this.get<Json[]>(this.link(project, 'environments'));
    const environment = environments.find((e) => e.id === environmentId);
    if (!environment) throw new Error(`Specified environment not found: ${environmentId}`);
    return { project, environment };
  }

  /** `HasActivitiesTrait::getActivities`: note `starts_at` is appended without URL-encoding. */
  activities(resource: Json, count: number, startsAt?: string): Promise<Json[]> {
    const query = [startsAt === undefined ? '' : `starts_at=${startsAt}`, `count=${count}`].filter(Boolean).join('&');
    return this.get<Json[]>(`${this.link(resource, 'self')}/activities?${query}`);
  }

  /** `Environment::convertSshUrl`: user@host (the port and path are dropped). */
  static sshTarget(url: string): string {
    const parsed = new URL(url);
    return `${parsed.username}@${parsed.hostname}`;
  }
}

/** `Activity::formatStartsAt`: `2022-02-22T02:00:00.000000+00:00`. */
export function formatStartsAt(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
