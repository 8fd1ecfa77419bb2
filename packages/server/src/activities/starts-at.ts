import { ApiError } from '../http/errors.js';
import { isInstant } from '../http/validation.js';

/**
 * The `starts_at` paging parameter as an ISO instant. The Platform.sh CLI sends
 * `2022-02-22T02:00:00.000000+00:00` without encoding it, so a `+` offset arrives as a space.
 */
export function parseStartsAt(value: string): string {
  const text = value.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  const time = isInstant(text) ? Date.parse(text.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new ApiError('invalid_request', `starts_at must be an RFC 3339 date-time, e.g. 2022-02-22T02:00:00+00:00 (got "${value}").`, { field: 'starts_at' });
  }
  return new Date(time).toISOString();
}
