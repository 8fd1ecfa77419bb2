import type { HalLink } from '@pier/api';
import { apiFailure, withBearerToken } from './api-client.js';
import type { Context } from './context.js';

export type { HalLink };

/** The HAL link `rel` of a resource; action links (`#restore`, `#cancel`) only when allowed. */
export function linkOf(resource: { _links: Readonly<Record<string, HalLink>> }, rel: string): HalLink | undefined {
  return resource._links[rel];
}

/**
 * Follows a link the API handed out (`#restore`, `#cancel`…) instead of building its URL, as
 * Platform.sh clients do: an authenticated JSON request, errors mapped as for the typed client.
 */
export async function followLink(ctx: Context, link: HalLink, body?: unknown): Promise<unknown> {
  const send = withBearerToken(ctx.authSession(), ctx.transport);
  const method = (link.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  const request = new Request(link.href, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await send(request);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw apiFailure(response, parsed, ctx.loginHelp());
  return parsed;
}
