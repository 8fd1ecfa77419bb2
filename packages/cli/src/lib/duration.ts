import { CliError } from './errors.js';

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** `30d`, `12h`, `90m`, `2w`, `1y` → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhdwy])$/i.exec(text.trim());
  const unit = match?.[2] ? unitSeconds[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new CliError('usage', `Invalid duration: ${text}. Use a number and a unit, e.g. 30d, 12h, 90m, 2w or 1y.`);
  }
  return Number(match[1]) * unit;
}
