/**
 * `Pier-Token-Expires-At`: on every response to a request made with an access token whose API
 * token expires, and on the token endpoint's answer for such a token, so that a CI job's client
 * (the `pier` CLI warns in the last 7 days) learns about an expiry before it breaks the pipeline.
 */
export const TOKEN_EXPIRES_AT_HEADER = 'pier-token-expires-at';

/** Seconds since the epoch → RFC 3339 in UTC (`2026-12-04T10:00:00Z`). */
export function tokenExpiresAtValue(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
