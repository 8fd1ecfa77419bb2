import type { EffectiveVariable } from './effective.js';

export type Phase = 'build' | 'runtime';

export interface RenderedVariable {
  name: string;
  /** The decoded value, or undefined when it must stay hidden. */
  value: unknown;
  isSensitive: boolean;
}

/**
 * The environment a build or the runtime sees: every `env:NAME` variable as its own environment
 * variable `NAME` (case kept, JSON values as JSON text), and every other visible variable in
 * `<PREFIX>VARIABLES` as base64 JSON under its full name, with JSON values decoded.
 */
export function renderEnvironment(
  variables: readonly EffectiveVariable[],
  phase: Phase,
  runtimePrefix: string,
  valueOf: (variable: EffectiveVariable) => string,
): Record<string, string> {
  const visible = variables.filter((v) => (phase === 'build' ? v.row.visible_build : v.row.visible_runtime) === 1);
  const env: Record<string, string> = {};
  const all: Record<string, unknown> = {};
  for (const variable of visible) {
    const raw = valueOf(variable);
    const decoded: unknown = variable.row.is_json === 1 ? JSON.parse(raw) : raw;
    if (variable.row.name.startsWith('env:')) env[variable.row.name.slice(4)] = typeof decoded === 'string' ? decoded : JSON.stringify(decoded);
    else all[variable.row.name] = decoded;
  }
  env[`${runtimePrefix}VARIABLES`] = Buffer.from(JSON.stringify(all)).toString('base64');
  return env;
}
