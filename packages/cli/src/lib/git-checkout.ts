import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** What the CLI needs to know about the git checkout it runs in. */
export interface GitCheckout {
  root: string;
  /** The checked-out branch, or undefined on a detached HEAD. */
  branch: string | undefined;
  /** Remote name → fetch URL. */
  remotes: Map<string, string>;
}

/**
 * The folder holding `.git` (a directory, or a file in worktrees and submodules) at or above
 * `start`. Found by looking at the file system, so a command outside any checkout spawns no git.
 */
export function findGitRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Branch and remotes of the checkout at `root`, asked of git itself (two quick processes). */
export async function readGitCheckout(root: string): Promise<GitCheckout> {
  const [branch, remoteLines] = await Promise.all([
    git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']),
    git(root, ['config', '--get-regexp', '^remote\\..*\\.url$']),
  ]);
  const remotes = new Map<string, string>();
  for (const line of (remoteLines ?? '').split('\n')) {
    const match = /^remote\.(.+)\.url\s+(.+)$/.exec(line.trim());
    if (match?.[1] && match[2]) remotes.set(match[1], match[2]);
  }
  return { root, branch: branch?.trim() || undefined, remotes };
}

/** Standard output of a git command, or undefined when it fails or git is not installed. */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}
