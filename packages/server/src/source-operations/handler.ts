import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Services } from '../services.js';
import type { ActivityHandler } from '../activities/worker.js';
import { requireEnvironment } from '../environments/store.js';
import { ensureRepository } from '../git/repositories.js';
import { hookCommand } from '../git/hooks.js';
import { readAppConfig, sourceOperations } from '../git/app-config.js';
import { runtimeEnvironment } from '../variables/runtime-environment.js';

export const SOURCE_OPERATION_ACTIVITY = 'environment.source-operation';

/**
 * Runs a source operation: check the branch out, run its command with the build variables plus
 * `<PREFIX>SOURCE_DIR`, commit what changed as the user who started it and push it back (through
 * the same hooks as any push). A failing command fails the activity and commits nothing.
 */
export function sourceOperationHandler(services: Services): ActivityHandler {
  const { db } = services.database;
  return async ({ activity, payload, signal, log }) => {
    const operation = String(payload.operation ?? '');
    const project = await db.selectFrom('projects').selectAll().where('id', '=', activity.project_id).executeTakeFirstOrThrow();
    const environment = await requireEnvironment(db, project.id, activity.environment_id);
    const repo = ensureRepository(services.config.dataDir, project.id, project.default_branch, hookCommand());
    const definition = sourceOperations(readAppConfig(repo, environment.id, services.vendor.projectConfigDir)).find((o) => o.operation === operation);
    if (!definition) throw new Error(`No source operation "${operation}" in ${services.vendor.projectConfigDir}/config.yaml on ${environment.id}.`);
    const user = await db.selectFrom('users').selectAll().where('id', '=', activity.actor_id ?? '').executeTakeFirstOrThrow();

    const workdir = path.join(services.config.dataDir, 'work', activity.id);
    fs.rmSync(workdir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(workdir), { recursive: true, mode: 0o700 });
    try {
      git(['clone', '--quiet', '--branch', environment.id, repo, workdir]);
      const prefix = services.vendor.runtimeEnvPrefix;
      const variables = (payload.variables ?? {}) as Record<string, string>;
      const extra = Object.fromEntries(Object.entries(variables).filter(([name]) => name.startsWith('env:')).map(([name, value]) => [name.slice(4), value]));
      const env = {
        ...(await runtimeEnvironment(services, project, environment, 'build')),
        ...extra,
        [`${prefix}SOURCE_DIR`]: workdir,
        HOME: workdir,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
      };
      await log(`Running source operation "${operation}" (${definition.app}): ${definition.command}`);
      const exitCode = await runLogged('/bin/sh', ['-c', definition.command], { cwd: workdir, env, signal }, log);
      if (exitCode !== 0) throw new Error(`The command exited with status ${exitCode}; nothing was committed.`);

      git(['add', '-A'], workdir);
      if (spawnSync('git', ['diff', '--cached', '--quiet'], { cwd: workdir }).status === 0) {
        await log('The command changed nothing; no commit.');
        return;
      }
      const author = `${[user.first_name, user.last_name].filter(Boolean).join(' ') || user.username} <${user.email}>`;
      git(['-c', `user.name=${user.username}`, '-c', `user.email=${user.email}`, 'commit', '--quiet', '--author', author, '-m', `Source operation: ${operation}`], workdir);
      const sha = git(['rev-parse', 'HEAD'], workdir).trim();
      // Pushed as the user who started it: the repository's hooks check their role and move the environment.
      git(['push', '--quiet', 'origin', `HEAD:refs/heads/${environment.id}`], workdir, {
        PIER_SSH_USER_ID: user.id,
        PIER_SSH_API_TOKEN_ID: activity.api_token_id ?? '',
        PIER_SSH_PROJECT: project.id,
      });
      await log(`Committed ${sha.slice(0, 12)} as ${user.email} and pushed it to ${environment.id}.`);
      return { payload: { ...payload, commit: sha } };
    } finally {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  };
}

function git(args: string[], cwd?: string, env: Record<string, string> = {}): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`git ${args[0]} failed: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

async function runLogged(
  program: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; signal: AbortSignal },
  log: (line: string) => Promise<void>,
): Promise<number> {
  const child = spawn(program, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGTERM' });
  const lines: Promise<void>[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => lines.push(log(line)));
  }
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', (error) => (options.signal.aborted ? resolve(143) : reject(error)));
    child.on('close', (status, signalName) => resolve(status ?? (signalName ? 128 : 1)));
  });
  await Promise.all(lines);
  if (options.signal.aborted) throw options.signal.reason;
  return code;
}
