import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { runCommand, type CommandOutcome } from '@pier/runtime';
import { shellQuote } from '@pier/wire';
import type { RuntimeSettings } from '../git/app-config.js';
import { accountFolder } from './environment-layout.js';
import { APP_DIR, DATA_DIR, runtimeBinds, type EnvironmentSandboxes, type SandboxContext } from './environment-sandbox.js';

export interface DeployStep {
  sandboxes: EnvironmentSandboxes;
  context: SandboxContext;
  repo: string;
  commit: string;
  settings: RuntimeSettings;
  buildEnv: Record<string, string>;
  runtimeEnv: Record<string, string>;
  log: (line: string) => Promise<void>;
  signal: AbortSignal;
}

/**
 * Builds a commit into its own folder, then switches `current` to it in one rename and runs the
 * deploy hook. Every step that touches the build — unpacking it, the build hook, the mounts —
 * runs in the sandbox as the environment's account, so the files are its own and a hostile
 * archive or hook reaches nothing else. A failed build leaves the running code alone.
 */
export async function deployBuild(step: DeployStep): Promise<{ appDir: string }> {
  const { sandboxes, context, log, signal } = step;
  const buildDir = path.join(context.layout.builds, step.commit);
  fs.rmSync(buildDir, { recursive: true, force: true });
  accountFolder(buildDir, context.account);
  const building = [{ source: buildDir, target: APP_DIR, writable: true }];
  const limits = step.settings.limits;

  const archive = spawn('git', ['--git-dir', step.repo, 'archive', '--format=tar', step.commit], { stdio: ['ignore', 'pipe', 'pipe'] });
  const archived = new Promise<number>((resolve) => archive.on('close', (code) => resolve(code ?? 1)));
  const unpacked = await runCommand({
    // Paths only in cwd and variables, which an unconfined run maps back to the host (never in arguments).
    launch: sandboxes.launch(context, { binds: building, env: {}, cwd: APP_DIR, command: ['/usr/bin/tar', '-x', '--no-same-owner', '-f', '-'], limits }),
    input: archive.stdout,
    onLine: log,
    signal,
  });
  if ((await archived) !== 0 || unpacked.exitCode !== 0) throw new Error('Unpacking the code failed.');

  const { build, deploy } = step.settings.hooks;
  if (build) {
    await log('Running the build hook.');
    const outcome = await runCommand({ launch: sandboxes.launch(context, { binds: building, env: step.buildEnv, command: ['/bin/bash', '-c', build], limits }), onLine: log, signal });
    failOnExit(outcome, 'The build hook');
  }
  if (step.settings.mounts.length > 0) {
    // Mounts are links into the data folder, made inside the sandbox: nothing outside it is followed.
    const script = step.settings.mounts
      .map(({ path: mountPath, sourcePath }) => {
        const [target, source] = [`"$MOUNT_APP"/${shellQuote(mountPath)}`, `"$MOUNT_DATA"/${shellQuote(sourcePath)}`];
        return `mkdir -p -- ${source} "$(dirname -- ${target})" && rm -rf -- ${target} && ln -s -- ${source} ${target}`;
      })
      .join(' && ');
    const binds = [...building, { source: context.layout.data, target: DATA_DIR, writable: true }];
    const outcome = await runCommand({ launch: sandboxes.launch(context, { binds, env: { MOUNT_APP: APP_DIR, MOUNT_DATA: DATA_DIR }, command: ['/bin/sh', '-c', script] }), onLine: log, signal });
    failOnExit(outcome, 'Setting up the mounts');
  }

  const next = `${context.layout.current}.next`;
  fs.rmSync(next, { force: true });
  // Relative (`builds/<commit>`), so the data directory can move (a restore elsewhere).
  fs.symlinkSync(path.relative(path.dirname(next), buildDir), next);
  fs.renameSync(next, context.layout.current);
  await log(`Switched to ${step.commit.slice(0, 12)}.`);
  if (deploy) {
    await log('Running the deploy hook.');
    const outcome = await runCommand({
      launch: sandboxes.launch(context, { binds: runtimeBinds(context.layout, buildDir), env: step.runtimeEnv, command: ['/bin/bash', '-c', deploy], limits }),
      onLine: log,
      signal,
    });
    failOnExit(outcome, 'The deploy hook');
  }
  return { appDir: buildDir };
}

function failOnExit(outcome: CommandOutcome, what: string): void {
  if (outcome.cancelled) throw new Error(`${what} was cancelled.`);
  if (outcome.exitCode !== 0) throw new Error(`${what} failed with status ${outcome.exitCode}.`);
}
