/** The one timestamp format stored and returned: ISO-8601 UTC with milliseconds. */
export function isoNow(): string {
  return new Date().toISOString();
}

export function isoAfter(seconds: number, from: Date = new Date()): string {
  return new Date(from.getTime() + seconds * 1000).toISOString();
}
