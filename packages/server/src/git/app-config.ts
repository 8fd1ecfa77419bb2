import { spawnSync } from 'node:child_process';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { parseDocument } from 'yaml';

const SourceOperation = Type.Object({ command: Type.String({ minLength: 1 }) });
const Application = Type.Object({
  source: Type.Optional(Type.Object({ operations: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]+$' }), SourceOperation)) })),
});
export const AppConfigSchema = Type.Object({ applications: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]+$' }), Application) });
export type AppConfig = Static<typeof AppConfigSchema>;

export class AppConfigError extends Error {}

/** `.pier/config.yaml` (the vendor's config folder) as committed on a branch, or undefined. */
export function readAppConfig(repo: string, branch: string, configDir: string): AppConfig | undefined {
  const file = `${configDir}/config.yaml`;
  const shown = spawnSync('git', ['--git-dir', repo, 'show', `refs/heads/${branch}:${file}`], { encoding: 'utf8' });
  if (shown.status !== 0) return undefined;
  return parseAppConfig(shown.stdout, file);
}

/** Parses and validates; errors name the key and line, so a push can be refused with them. */
export function parseAppConfig(text: string, file: string): AppConfig {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new AppConfigError(`${file}: line ${error.linePos?.[0]?.line ?? '?'}: ${error.message.split('\n')[0]}`);
  }
  const value: unknown = document.toJS();
  const problem = Value.Errors(AppConfigSchema, value)[0];
  if (problem) {
    const keyPath = problem.instancePath.split('/').filter(Boolean);
    const node = keyPath.length ? document.getIn(keyPath, true) : undefined;
    const range = (node as { range?: [number, number] } | undefined)?.range;
    const line = range ? text.slice(0, range[0]).split('\n').length : undefined;
    throw new AppConfigError(`${file}: ${keyPath.join('.') || '(top level)'}${line ? ` (line ${line})` : ''}: ${problem.message}`);
  }
  return value as AppConfig;
}

export interface SourceOperationDefinition {
  operation: string;
  app: string;
  command: string;
}

export function sourceOperations(config: AppConfig | undefined): SourceOperationDefinition[] {
  if (!config) return [];
  return Object.entries(config.applications).flatMap(([app, definition]) =>
    Object.entries(definition.source?.operations ?? {}).map(([operation, { command }]) => ({ operation, app, command })),
  );
}
