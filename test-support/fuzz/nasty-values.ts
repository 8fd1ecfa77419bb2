/**
 * Inputs that have broken web APIs before: the fuzzer mixes them into every field, path segment
 * and query parameter it generates.
 */
export const nastyStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '../../../../etc/passwd',
  '..',
  '.',
  '/',
  'a/b',
  '%00',
  '%',
  '\\',
  'CON',
  'Ω≈ç√∫˜µ≤≥÷',
  '١٢٣',
  '𝕿𝖍𝖊',
  '👩‍👩‍👧‍👦',
  'e\u0301',
  '\u202eevil',
  '\r\nSet-Cookie: x=y',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  'null',
  'true',
  '-1',
  '1e300',
  'NaN',
  '2030-06-30T23:59:60Z',
  '2030-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  'x'.repeat(300),
  'y'.repeat(70_000),
];

export const nastyNumbers: readonly number[] = [0, -1, 1, 1e300, -1e300, 2 ** 31, 2 ** 53, -(2 ** 63), 0.5, 1e-300, Number.MAX_SAFE_INTEGER];

/**
 * Path segments as they go on the wire (already encoded): traversal, NUL, an encoded lone
 * surrogate (invalid UTF-8), broken percent-encoding, unicode.
 */
export const nastyPathSegments: readonly string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C0%AE%C0%AE',
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '%2e%2e',
  '%',
  '%zz',
  '%E2%80%AE',
  '%F0%9F%98%80',
  encodeURIComponent('١٢٣'),
  'me',
  '-1',
  '1e300',
  'x'.repeat(70),
  'z'.repeat(5_000),
];
