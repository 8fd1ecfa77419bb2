import fs from 'node:fs';
import path from 'node:path';

/** An environment's folder: `data/` (mounted files), `builds/<commit>/`, and `current` → the deployed build. */
export function environmentRoot(dataDir: string, projectId: string, machineName: string): string {
  return path.join(dataDir, 'projects', projectId, 'environments', machineName);
}

/** The deployed build's folder and commit, or undefined before the first deploy. */
export function deployedBuild(root: string): { appDir: string; commit: string } | undefined {
  try {
    const appDir = fs.realpathSync(path.join(root, 'current'));
    return { appDir, commit: path.basename(appDir) };
  } catch {
    return undefined;
  }
}

export function runtimePath(appDir: string): string {
  return `${appDir}/.pier/bin:${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`;
}
