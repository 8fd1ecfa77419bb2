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
const secretFields = ['access_token', 'api_token', 'refresh_token', 'token', 'subject_token', 'client_secret', 'password'];
const jsonFieldPattern = new RegExp(`("(?:${secretFields.join('|')})"\\s*:\\s*)"[^"]*"`, 'g');
const formFieldPattern = new RegExp(`((?:^|&)(?:${secretFields.join('|')})=)[^&]*`, 'g');

export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  out = out.replace(jsonFieldPattern, `$1"${REDACTED}"`).replace(formFieldPattern, `$1${REDACTED}`);
  for (const pattern of secretPatterns) out = out.replace(pattern, REDACTED);
  return out;
}

/**
 * Values the run has learnt are secret, such as the value of a sensitive variable being set.
 * One registry per run: the transport's traces and the final error report both consult it.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (value) this.values.add(value);
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  list(): string[] {
    return [...this.values];
  }
}

/**
 * An HTTP body for the -vvv trace. Beyond redactText: in JSON, the `value` of any object marked
 * `is_sensitive: true` (a sensitive variable being created) or equal to a registered secret (one
 * being updated) is replaced, whatever its length.
 */
export function redactBody(text: string, secrets?: SecretRegistry): string {
  const known = secrets?.list() ?? [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return redactText(text, known);
  }
  if (typeof parsed !== 'object' || parsed === null) return redactText(text, known);
  return redactText(JSON.stringify(redactSensitiveValues(parsed, secrets)), known);
}

function redactSensitiveValues(node: unknown, secrets: SecretRegistry | undefined): unknown {
  if (Array.isArray(node)) return node.map((item) => redactSensitiveValues(item, secrets));
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const hide = typeof record.value === 'string' && (record.is_sensitive === true || secrets?.has(record.value) === true);
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, key === 'value' && hide ? REDACTED : redactSensitiveValues(value, secrets)]));
}

const secretHeaders = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

export function redactHeader(name: string, value: string): string {
  if (!secretHeaders.has(name.toLowerCase())) return redactText(value);
  const scheme = /^(\w+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}
