import { ApiError } from '../http/errors.js';
import type { VariableRow } from '../db/schema.js';
import type { VariableInput } from './schemas.js';

const ENV_NAME = /^env:[a-z][a-z0-9_]*$/i;
const PREFIXED = /^[A-Za-z0-9_.-]+:\S+$/;

/** Names: no whitespace, ≤ 256 chars; `env:` names must be valid Unix variable names. */
export function checkName(name: string): void {
  const reject = (message: string) => {
    throw new ApiError('invalid_request', message, { field: 'name' });
  };
  if (name.length === 0 || name.length > 256) reject('The variable name must be 1 to 256 characters long.');
  if (/\s/.test(name)) reject(`The variable name "${name}" must not contain spaces.`);
  if (name.startsWith(':') || name.endsWith(':')) reject(`The variable name "${name}" has an empty prefix or name.`);
  if (name.startsWith('env:') && !ENV_NAME.test(name)) {
    reject(`"${name}" is not a valid environment variable name: after "env:" use a letter, then letters, digits or underscores.`);
  }
  if (name.includes(':') && !PREFIXED.test(name)) reject(`The prefix of "${name}" may only contain letters, digits, ".", "_" and "-".`);
}

/** Rules that need the old and new state together; `value` is the plain value the row will hold. */
export function checkChange(previous: Pick<VariableRow, 'is_sensitive' | 'is_json'> | undefined, input: VariableInput, value: string): void {
  if (previous?.is_sensitive === 1 && input.is_sensitive === false) {
    throw new ApiError('invalid_request', 'A sensitive variable cannot be made non-sensitive. Delete it and create it again.', { field: 'is_sensitive' });
  }
  const isJson = input.is_json ?? previous?.is_json === 1;
  if (!isJson) return;
  try {
    JSON.parse(value);
  } catch {
    // Without a new value, the stored one is checked: every effective view of the environment
    // decodes JSON values, so one bad row would break them all.
    if (input.value === undefined) throw new ApiError('invalid_request', 'The current value is not valid JSON, so is_json cannot be true. Send a JSON value with it.', { field: 'is_json' });
    throw new ApiError('invalid_request', 'The value is not valid JSON, but is_json is true.', { field: 'value' });
  }
}

export function flag(value: boolean | undefined, fallback: 0 | 1): 0 | 1 {
  return value === undefined ? fallback : value ? 1 : 0;
}
