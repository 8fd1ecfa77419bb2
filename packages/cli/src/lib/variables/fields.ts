import { flag, list, text, type OptionValues } from '../command.js';
import { CliError } from '../errors.js';
import type { VariableLevel } from './variable-api.js';

/**
 * The variable options shared by variable:create and variable:update, parsed as the
 * Platform.sh CLI does (research §4.5): booleans take a value, `--level` takes a prefix.
 */
export const levelOption = text('-l, --level <level>', "The variable level ('project', 'environment', 'p', or 'e')");

export const fieldOptions = {
  value: text('--value <value>', "The variable's value"),
  json: text('--json <json>', 'Whether the variable value is JSON-formatted (true or false)'),
  sensitive: text('--sensitive <sensitive>', 'Whether the variable value is sensitive: write-only, never shown again (true or false)'),
  enabled: text('--enabled <enabled>', 'Whether the variable should be enabled; environment level only (true or false)'),
  inheritable: text('--inheritable <inheritable>', 'Whether the variable is inherited by child environments; environment level only (true or false)'),
  visibleBuild: text('--visible-build <visible-build>', 'Whether the variable should be visible at build time (true or false)'),
  visibleRuntime: text('--visible-runtime <visible-runtime>', 'Whether the variable should be visible at runtime (true or false)'),
  appScope: list('--app-scope <app-scope>', 'Limit the variable to the named application(s); may be repeated'),
};

/** Accepted so that Platform.sh scripts run unchanged; variables changes start no activity yet. */
export const acceptedWaitOptions = {
  wait: flag('-W, --no-wait', 'Do not wait for the operation to complete', {
    alternatives: [{ flags: '--wait', description: 'Wait for the operation to complete (the default)', hidden: true }],
  }),
};

/** What a user may set on a variable; undefined means "not given". */
export interface VariableFields {
  value?: string;
  is_json?: boolean;
  is_sensitive?: boolean;
  is_enabled?: boolean;
  is_inheritable?: boolean;
  visible_build?: boolean;
  visible_runtime?: boolean;
  application_scope?: string[];
}

export type FieldOptions = OptionValues<typeof fieldOptions>;

export function readFields(options: FieldOptions): VariableFields {
  const fields: VariableFields = {
    is_json: parseBoolean('json', options.json),
    is_sensitive: parseBoolean('sensitive', options.sensitive),
    is_enabled: parseBoolean('enabled', options.enabled),
    is_inheritable: parseBoolean('inheritable', options.inheritable),
    visible_build: parseBoolean('visible-build', options.visibleBuild),
    visible_runtime: parseBoolean('visible-runtime', options.visibleRuntime),
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.appScope?.length ? { application_scope: options.appScope.flatMap((scope) => scope.split(',')).map((scope) => scope.trim()).filter(Boolean) } : {}),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as VariableFields;
}

const trueWords = ['1', 'true', 'yes', 'y'];
const falseWords = ['0', 'false', 'no', 'n'];

export function parseBoolean(option: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const word = value.trim().toLowerCase();
  if (trueWords.includes(word)) return true;
  if (falseWords.includes(word)) return false;
  throw new CliError('usage', `Invalid value for '--${option}': ${value} (expected 1, 0, true, or false)`);
}

/** `p`, `proj`, `e`, `env`... as in the Platform.sh CLI. */
export function parseLevel(value: string | undefined): VariableLevel | undefined {
  if (value === undefined) return undefined;
  const word = value.trim().toLowerCase();
  const match = (['project', 'environment'] as const).find((level) => word !== '' && level.startsWith(word));
  if (!match) throw new CliError('usage', `Invalid value for '--level': ${value} (expected project or environment)`);
  return match;
}

/** `--enabled` and `--inheritable` mean nothing for a project variable. */
export function checkLevelFields(level: VariableLevel, fields: VariableFields): void {
  if (level !== 'project') return;
  for (const [option, field] of [
    ['enabled', 'is_enabled'],
    ['inheritable', 'is_inheritable'],
  ] as const) {
    if (fields[field] !== undefined) {
      throw new CliError('usage', `The option --${option} can only be used for variables at the environment level, not at the project level.`);
    }
  }
}

/** `--json true` needs a JSON value. The parser's own message would quote the value: not used. */
export function checkJsonValue(value: string): void {
  try {
    JSON.parse(value);
  } catch {
    throw new CliError('usage', "Invalid value for '--value': the value is not valid JSON (--json is true).");
  }
}

/** `<prefix>:<name>` unless the name already has a prefix or the prefix is `none`. */
export function prefixedName(name: string, prefix: string | undefined): string {
  const bare = (prefix ?? 'none').trim().replace(/:+$/, '');
  if (name.includes(':') || bare === '' || bare.toLowerCase() === 'none') return name;
  return `${bare}:${name}`;
}

const ENV_NAME = /^env:[a-z][a-z0-9_]*$/i;

/**
 * The Platform.sh CLI's checks on a new name, before anything is sent; the server applies the
 * full rules (prefix characters) and its message is shown as it is.
 */
export function checkName(name: string): void {
  if (name === '') throw new CliError('usage', 'The variable name must not be empty.');
  if (name.length > 256) throw new CliError('usage', 'The variable name exceeds the maximum length, 256 characters.');
  if (/\s/.test(name)) throw new CliError('usage', 'The variable name must not contain spaces.');
  if (name.startsWith('env:') && !ENV_NAME.test(name)) {
    throw new CliError(
      'usage',
      `The environment variable name "${name.slice(4)}" is invalid: it must start with a letter and contain only letters, digits and underscores.`,
    );
  }
}
