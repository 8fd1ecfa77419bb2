/** The server's `Pier-Token-Expires-At`: when the API token behind this run's access token expires. */
export const TOKEN_EXPIRES_AT_HEADER = 'pier-token-expires-at';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long before expiry the CLI starts warning (the server mails at 7 days too). */
const WARN_WITHIN = 7 * DAY;

/**
 * The warning for a token that expires within 7 days, or undefined: far off, already past, or a
 * header that is not an RFC 3339 date.
 */
export function tokenExpiryWarning(header: string | null, tokenId: string | null, command: string, now = Date.now()): string | undefined {
  if (!header || !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(header)) return undefined;
  const expiresAt = Date.parse(header);
  const remaining = expiresAt - now;
  if (!Number.isFinite(expiresAt) || remaining <= 0 || remaining > WARN_WITHIN) return undefined;
  const rotate = `${command} api-token:rotate ${tokenId ?? '<id>'} --overlap 1h`;
  return `Warning: the API token expires in ${describeRemaining(remaining)} (${header}). Rotate it: ${rotate}`;
}

function describeRemaining(milliseconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (milliseconds >= 2 * DAY) return plural(Math.round(milliseconds / DAY), 'day');
  if (milliseconds >= HOUR) return plural(Math.round(milliseconds / HOUR), 'hour');
  return plural(Math.max(1, Math.round(milliseconds / 60_000)), 'minute');
}
