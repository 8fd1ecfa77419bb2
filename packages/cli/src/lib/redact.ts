/**
 * Verbose output and error messages pass through here: anything that looks like a credential is
 * replaced, whether it sits in a header, a form field, JSON, or free text.
 */
const REDACTED = '[redacted]';

/** JWTs (access tokens) and typed API tokens (`pier_…`), wherever they appear. */
const secretPatterns: RegExp[] = [
  /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /\b[a-z]{2,12}_[0-9A-Za-z]{40,}\b/g,
];

/** Field names whose values are secrets in JSON bodies and form bodies. */
const secretFields = ['access_token', 'api_token', 'refresh_token', 'token', 'client_secret', 'password'];
const jsonFieldPattern = new RegExp(`("(?:${secretFields.join('|')})"\\s*:\\s*)"[^"]*"`, 'g');
const formFieldPattern = new RegExp(`((?:^|&)(?:${secretFields.join('|')})=)[^&]*`, 'g');

export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  out = out.replace(jsonFieldPattern, `$1"${REDACTED}"`).replace(formFieldPattern, `$1${REDACTED}`);
  for (const pattern of secretPatterns) out = out.replace(pattern, REDACTED);
  return out;
}

const secretHeaders = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

export function redactHeader(name: string, value: string): string {
  if (!secretHeaders.has(name.toLowerCase())) return redactText(value);
  const scheme = /^(\w+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}
