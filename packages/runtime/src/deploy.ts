import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCommand } from './run-command.js';

export interface DeployStep {
  /** The environment's folder: builds/, current (symlink), data/. */
  root: string;
  repo: string;
  commit: string;
  buildHook: string | undefined;
  deployHook: string | undefined;
  buildEnv: Record<string, string>;
  runtimeEnv: Record<string, string>;
  log: (line: string) => void | Promise<void>;
  signal?: AbortSignal;
}

/**
 * Builds a commit into its own folder with the build hook, then switches `current` to it in one
 * rename and runs the deploy hook there. A failed build leaves the running code untouched.
 */
export async function deployBuild(step: DeployStep): Promise<{ appDir: string }> {
  const buildDir = path.join(step.root, 'builds', step.commit);
  fs.rmSync(buildDir, { recursive: true, force: true });
  fs.mkdirSync(buildDir, { recursive: true });
  const archive = spawnSync('git', ['--git-dir', step.repo, 'archive', '--format=tar', step.commit], { maxBuffer: 1024 * 1024 * 1024 });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString()}`);
  const untar = spawnSync('tar', ['-x', '-C', buildDir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`unpacking the code failed: ${untar.stderr.toString()}`);
  const env = (base: Record<string, string>) => ({ ...base, HOME: buildDir, PATH: `${buildDir}/.pier/bin:${base.PATH ?? '/usr/local/bin:/usr/bin:/bin'}` });
  if (step.buildHook) {
    await step.log('Running the build hook.');
    const outcome = await runCommand({ command: step.buildHook, cwd: buildDir, env: env(step.buildEnv), onLine: step.log, signal: step.signal });
    if (outcome.exitCode !== 0) throw new Error(`The build hook failed with status ${outcome.exitCode}.`);
  }
  const current = path.join(step.root, 'current');
  const next = `${current}.next`;
  fs.rmSync(next, { force: true });
  fs.symlinkSync(buildDir, next);
  fs.renameSync(next, current);
  await step.log(`Switched to ${step.commit.slice(0, 12)}.`);
  if (step.deployHook) {
    await step.log('Running the deploy hook.');
    const outcome = await runCommand({ command: step.deployHook, cwd: buildDir, env: env(step.runtimeEnv), onLine: step.log, signal: step.signal });
    if (outcome.exitCode !== 0) throw new Error(`The deploy hook failed with status ${outcome.exitCode}.`);
  }
  return { appDir: buildDir };
}
