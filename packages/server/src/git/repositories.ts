import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Config } from '../config.js';
import { hookScript } from './hooks.js';

/** Every project has one bare repository; environments are its branches. */
export function repositoryPath(dataDir: string, projectId: string): string {
  if (!/^[a-z0-9]+$/.test(projectId)) throw new Error(`Invalid project id: ${projectId}`);
  return path.join(dataDir, 'git', `${projectId}.git`);
}

/** Creates the bare repository on first use and (re)installs the hooks that call back into Pier. */
export function ensureRepository(config: Pick<Config, 'dataDir' | 'ssh'>, projectId: string, defaultBranch: string): string {
  const repo = repositoryPath(config.dataDir, projectId);
  if (!fs.existsSync(path.join(repo, 'HEAD'))) {
    fs.mkdirSync(path.dirname(repo), { recursive: true, mode: 0o700 });
    execFileSync('git', ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, repo]);
  }
  for (const hook of ['pre-receive', 'post-receive'] as const) {
    const file = path.join(repo, 'hooks', hook);
    const script = hookScript(config, hook);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== script) fs.writeFileSync(file, script, { mode: 0o700 });
  }
  return repo;
}
