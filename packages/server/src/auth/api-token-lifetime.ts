import { ApiError } from '../http/errors.js';

const unitSeconds: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 604_800, y: 365 * 86_400 };
/** A hundred years: more than any token needs, and a date Date can hold. */
const LONGEST_SECONDS = 36_500 * 86_400;

/** How long new API tokens may live at most (`PIER_API_TOKEN_MAX_LIFETIME`), as set and in seconds. */
export interface ApiTokenMaxLifetime {
  readonly text: string;
  readonly seconds: number;
}

/** `90d`, `12h`, `2w`, `1y` → the maximum, or undefined when the text is not such a duration (1 hour to 100 years). */
export function parseMaxLifetime(text: string): ApiTokenMaxLifetime | undefined {
  const match = /^(\d{1,6})([mhdwy])$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * unitSeconds[match[2]!]!;
  return seconds >= 3600 && seconds <= LONGEST_SECONDS ? { text: text.trim(), seconds } : undefined;
}

/**
 * The expiry a new token gets: the one asked for, or with an instance maximum and none asked for,
 * now + the maximum. One asked for beyond the maximum is refused, naming the latest allowed.
 */
export function expiryForNewToken(requested: Date | null, max: ApiTokenMaxLifetime | undefined, now = new Date()): Date | null {
  if (requested && Number.isNaN(requested.getTime())) {
    throw new ApiError('invalid_request', 'expires_at is not a date this server can represent.', { field: 'expires_at' });
  }
  if (requested && requested.getTime() <= now.getTime()) {
    throw new ApiError('invalid_request', 'expires_at must be in the future.', { field: 'expires_at' });
  }
  if (!max) return requested;
  const latest = new Date(now.getTime() + max.seconds * 1000);
  if (!requested) return latest;
  if (requested.getTime() > latest.getTime()) {
    throw new ApiError('invalid_request', `expires_at is beyond this instance's maximum API token lifetime (${max.text}): the latest allowed now is ${latest.toISOString()}.`, {
      field: 'expires_at',
      reason: 'exceeds_max_lifetime',
      max_lifetime: max.text,
      max_lifetime_seconds: max.seconds,
      latest_expires_at: latest.toISOString(),
    });
  }
  return requested;
}
