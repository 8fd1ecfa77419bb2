import type { ApiToken } from '@pier/api';
import { Badge } from '../ui';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The CLI warns and the server mails from 7 days before expiry: the badge turns amber then too. */
const SOON = 7 * DAY;

/** `Expired`, or `Expires in N days` (hours in the last two days) for a token that expires. */
export function ExpiryBadge({ token, now = Date.now() }: { token: Pick<ApiToken, 'expires_at' | 'status'>; now?: number }) {
  if (token.status === 'expired') return <Badge tone="bad">Expired</Badge>;
  if (!token.expires_at) return null;
  const remaining = Date.parse(token.expires_at) - now;
  return <Badge tone={remaining <= SOON ? 'warn' : 'neutral'}>Expires in {describeRemaining(remaining)}</Badge>;
}

export function describeRemaining(milliseconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (milliseconds >= 2 * DAY) return plural(Math.round(milliseconds / DAY), 'day');
  return plural(Math.max(1, Math.round(milliseconds / HOUR)), 'hour');
}

/** What the create form offers: presets up to the instance maximum, the maximum itself, no expiry only without one, a date. */
export interface ExpiryOption {
  value: string;
  label: string;
  /** Seconds from now; null: none (no expiry, or the server's maximum). */
  seconds: number | null;
}

const presets = [
  { value: '7d', label: '7 days', seconds: 7 * 86_400 },
  { value: '30d', label: '30 days', seconds: 30 * 86_400 },
  { value: '90d', label: '90 days', seconds: 90 * 86_400 },
  { value: '1y', label: '1 year', seconds: 365 * 86_400 },
];

export function expiryOptions(maxLifetimeSeconds: number | null): ExpiryOption[] {
  if (maxLifetimeSeconds === null) return [{ value: 'never', label: 'No expiry', seconds: null }, ...presets];
  const allowed = presets.filter((preset) => preset.seconds < maxLifetimeSeconds);
  // The maximum itself is left to the server (now + maximum by its clock), so no clock skew can overshoot it.
  return [...allowed, { value: 'max', label: `${describeRemaining(maxLifetimeSeconds * 1000)} (the maximum)`, seconds: null }];
}

/** The option a new token starts with: 90 days, or the longest allowed below it; no expiry without a maximum. */
export function defaultExpiry(options: ExpiryOption[]): string {
  return (options.find((option) => option.value === '90d') ?? options.find((option) => option.value === 'max') ?? options[0]!).value;
}

/** The last day the date field offers: a token "until the end of that day" must stay within the maximum. */
export function lastAllowedDay(maxLifetimeSeconds: number | null, now = Date.now()): string | undefined {
  if (maxLifetimeSeconds === null) return undefined;
  return new Date(now + maxLifetimeSeconds * 1000 - DAY).toISOString().slice(0, 10);
}
