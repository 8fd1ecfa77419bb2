import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliVendorProfile } from './vendor-profile.js';

export interface CliHome {
  readonly dir: string;
  /** Why this folder was chosen, for `-vvv` output. */
  readonly origin: 'env' | 'home' | 'temp';
}

/**
 * Where the CLI keeps its config, stored token and caches: `<PREFIX>HOME`, else `~/.pier`, else a
 * private folder in the temp dir. The Platform.sh CLI fails outright without HOME
 * (legacy-cli#1150) and needs a writable home (#515); cron jobs and read-only containers have
 * neither, so we fall back instead of failing.
 */
export function resolveCliHome(profile: CliVendorProfile, env: NodeJS.ProcessEnv): CliHome {
  const explicit = env[`${profile.envPrefix}HOME`];
  if (explicit) return { dir: path.resolve(explicit), origin: 'env' };
  const home = env.HOME;
  if (home && path.isAbsolute(home)) {
    const dir = path.join(home, profile.homeDirName);
    if (isUsable(dir)) return { dir, origin: 'home' };
  }
  return { dir: privateTempDir(profile), origin: 'temp' };
}

/**
 * True when the folder exists and is writable, or can be created in an existing HOME. Not a
 * recursive mkdir: HOME itself must exist (a recursive mkdir under /proc spins in Node 20).
 */
function isUsable(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A fixed name per user so the token cache survives between runs, but only if the folder is
 * really ours and private: another user could have created it first in a shared /tmp.
 */
function privateTempDir(profile: CliVendorProfile): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `${profile.tempDirName}-${uid ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = fs.lstatSync(dir);
  const ours = stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o077) === 0;
  return ours ? dir : fs.mkdtempSync(path.join(os.tmpdir(), `${profile.tempDirName}-`));
}
