import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { Document, parseDocument } from 'yaml';
import { Cron } from 'croner';

const SourceOperation = Type.Object({ command: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const CronSchema = Type.Object(
  {
    spec: Type.String({ minLength: 1 }),
    commands: Type.Optional(Type.Object({ start: Type.String({ minLength: 1 }), stop: Type.Optional(Type.String()) }, { additionalProperties: false })),
    /** The legacy form: a single command. */
    cmd: Type.Optional(Type.String({ minLength: 1 })),
    shutdown_timeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
/** A folder below /app or /data: no `..` or `.` segment, no leading slash, no odd characters. */
const RELATIVE_PATH = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
const Mount = Type.Object(
  { source: Type.Optional(Type.Literal('local')), source_path: Type.Optional(Type.String({ maxLength: 255 })) },
  { additionalProperties: false },
);
/** Pier addition: what one process of the application may use (capped by the instance's settings). */
const Limits = Type.Object(
  {
    memory: Type.Optional(Type.Integer({ minimum: 64, description: 'MB of private memory per process' })),
    processes: Type.Optional(Type.Integer({ minimum: 16 })),
    cpu_time: Type.Optional(Type.Integer({ minimum: 1, description: 'CPU seconds per process' })),
    file_size: Type.Optional(Type.Integer({ minimum: 1, description: 'MB, the largest file a process may write' })),
  },
  { additionalProperties: false },
);
const Application = Type.Object({
  type: Type.Optional(Type.String()),
  hooks: Type.Optional(Type.Object({ build: Type.Optional(Type.String()), deploy: Type.Optional(Type.String()) }, { additionalProperties: false })),
  crons: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]+$' }), CronSchema)),
  mounts: Type.Optional(Type.Record(Type.String({ maxLength: 255 }), Mount)),
  limits: Type.Optional(Limits),
  source: Type.Optional(Type.Object({ operations: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]+$' }), SourceOperation)) })),
});
export const AppConfigSchema = Type.Object({ applications: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]+$' }), Application) });
export type AppConfig = Static<typeof AppConfigSchema>;

export class AppConfigError extends Error {}

const run = promisify(execFile);

/** Configs by repository and commit: a commit's never changes, and SSH sessions ask on every login. */
const byCommit = new Map<string, AppConfig | undefined>();
const CACHED_COMMITS = 1_000;

/**
 * `.pier/config.yaml` (the vendor's config folder) at a branch or commit, or undefined. `gitEnv`
 * lets a pre-receive check see objects still in the push's quarantine.
 */
export async function readAppConfig(repo: string, branchOrCommit: string, configDir: string, gitEnv: Record<string, string> = {}): Promise<AppConfig | undefined> {
  const isCommit = /^[0-9a-f]{40}$/.test(branchOrCommit);
  const key = `${repo}\0${branchOrCommit}\0${configDir}`;
  if (isCommit && byCommit.has(key)) return byCommit.get(key);
  const config = await readAppConfigFromGit(repo, isCommit ? branchOrCommit : `refs/heads/${branchOrCommit}`, configDir, gitEnv);
  // "No config" is only remembered for a commit the repository really has (not one still in a push's quarantine).
  if (isCommit && Object.keys(gitEnv).length === 0 && (config || (await hasCommit(repo, branchOrCommit)))) {
    if (byCommit.size >= CACHED_COMMITS) byCommit.delete(byCommit.keys().next().value!);
    byCommit.set(key, config);
  }
  return config;
}

async function hasCommit(repo: string, sha: string): Promise<boolean> {
  return run('git', ['--git-dir', repo, 'cat-file', '-e', `${sha}^{commit}`]).then(
    () => true,
    () => false,
  );
}

async function readAppConfigFromGit(repo: string, revision: string, configDir: string, gitEnv: Record<string, string>): Promise<AppConfig | undefined> {
  const show = async (file: string) => {
    try {
      return (await run('git', ['--git-dir', repo, 'show', `${revision}:${file}`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...gitEnv }, maxBuffer: 16 * 1024 * 1024 })).stdout;
    } catch {
      return undefined;
    }
  };
  const file = `${configDir}/config.yaml`;
  const text = await show(file);
  if (text !== undefined) return parseAppConfig(text, file);
  // The Platform.sh single-application file, for scripts and repositories written for it.
  const legacy = configDir === '.platform' ? await show('.platform.app.yaml') : undefined;
  return legacy === undefined ? undefined : parseSingleAppConfig(legacy, '.platform.app.yaml');
}

/** `.platform.app.yaml`: one application at the top level, named by its `name` key. */
export function parseSingleAppConfig(text: string, file: string): AppConfig {
  const document = parseDocument(text);
  const value: unknown = document.toJS();
  const name = value && typeof value === 'object' && 'name' in value && typeof value.name === 'string' ? value.name : 'app';
  const wrapped = new Document({ applications: { [name]: value } }).toString();
  return parseAppConfig(wrapped, file);
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
    const reason = problem.message === 'schema is false' ? 'unknown key' : problem.message;
    throw new AppConfigError(`${file}: ${keyPath.join('.') || '(top level)'}${line ? ` (line ${line})` : ''}: ${reason}`);
  }
  const config = value as AppConfig;
  for (const [app, definition] of Object.entries(config.applications)) {
    for (const [mountPath, mount] of Object.entries(definition.mounts ?? {})) {
      for (const [keyPath, folder] of [[['applications', app, 'mounts', mountPath], mountPath], [['applications', app, 'mounts', mountPath, 'source_path'], mount.source_path]] as const) {
        if (folder !== undefined && !RELATIVE_PATH.test(folder)) {
          throw new AppConfigError(`${file}: ${keyPath.join('.')}${lineOf(document, text, [...keyPath])}: must be a relative folder (letters, digits, . _ - /; no "..")`);
        }
      }
    }
    for (const [name, cron] of Object.entries(definition.crons ?? {})) {
      const where = `applications.${app}.crons.${name}`;
      const line = lineOf(document, text, ['applications', app, 'crons', name]);
      if (!cron.commands && !cron.cmd) throw new AppConfigError(`${file}: ${where}${line}: needs commands.start (or cmd)`);
      try {
        new Cron(cron.spec, { timezone: 'UTC', paused: true });
      } catch (error) {
        const specLine = lineOf(document, text, ['applications', app, 'crons', name, 'spec']);
        throw new AppConfigError(`${file}: ${where}.spec${specLine}: ${error instanceof Error ? error.message : 'invalid cron expression'}`);
      }
    }
  }
  return config;
}

function lineOf(document: ReturnType<typeof parseDocument>, text: string, keyPath: string[]): string {
  const range = (document.getIn(keyPath, true) as { range?: [number, number] } | undefined)?.range;
  return range ? ` (line ${text.slice(0, range[0]).split('\n').length})` : '';
}

export interface CronDefinition {
  app: string;
  name: string;
  spec: string;
  start: string;
  stop: string | undefined;
  timeoutSeconds: number;
  shutdownTimeoutSeconds: number;
}

/** Crons with the Platform.sh defaults (timeout 86400 s, shutdown_timeout 10 s). */
export function crons(config: AppConfig | undefined): CronDefinition[] {
  if (!config) return [];
  return Object.entries(config.applications).flatMap(([app, definition]) =>
    Object.entries(definition.crons ?? {}).map(([name, cron]) => ({
      app,
      name,
      spec: cron.spec,
      start: cron.commands?.start ?? cron.cmd ?? '',
      stop: cron.commands?.stop,
      timeoutSeconds: cron.timeout ?? 86_400,
      shutdownTimeoutSeconds: cron.shutdown_timeout ?? 10,
    })),
  );
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

/** How the (first) application runs: its hooks, mounts and limits. */
export interface RuntimeSettings {
  app: string;
  hooks: { build: string | undefined; deploy: string | undefined };
  /** `/app/<path>` → `/data/<sourcePath>`. */
  mounts: Array<{ path: string; sourcePath: string }>;
  limits: { memoryMb?: number; processes?: number; cpuSeconds?: number; fileSizeMb?: number };
}

export function runtimeSettings(config: AppConfig | undefined): RuntimeSettings {
  const [app, definition] = Object.entries(config?.applications ?? {})[0] ?? ['app', undefined];
  const limits = definition?.limits;
  return {
    app,
    hooks: { build: definition?.hooks?.build, deploy: definition?.hooks?.deploy },
    mounts: Object.entries(definition?.mounts ?? {}).map(([mountPath, mount]) => ({ path: trimSlashes(mountPath), sourcePath: trimSlashes(mount.source_path ?? mountPath) })),
    limits: { memoryMb: limits?.memory, processes: limits?.processes, cpuSeconds: limits?.cpu_time, fileSizeMb: limits?.file_size },
  };
}

function trimSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}
