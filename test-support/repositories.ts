/** Arranging a project's git repository for a test, straight on disk. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PierServer } from './pier-server.js';
import { request } from './http.js';

/**
 * Commits `files` onto `branch` of the project's bare repository and returns the commit. Only a
 * starting point for tests that are not about pushing: the repository's hooks (which only the SSH
 * gateway can run) are skipped, so no environment follows the branch until the server moves it.
 */
export function commitToRepository(server: Pick<PierServer, 'dataDir'>, projectId: string, branch: string, files: Record<string, string>): string {
  const repo = path.join(server.dataDir, 'git', `${projectId}.git`);
  if (!fs.existsSync(repo)) throw new Error(`${repo} does not exist yet: ask the server for something of the project's code first`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-arrange-'));
  const git = (args: string[], cwd = work) => {
    const result = spawnSync('git', ['-c', 'user.email=arrange@example.com', '-c', 'user.name=Arrange', ...args], { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  try {
    git(['clone', '--quiet', repo, 'repo']);
    const checkout = path.join(work, 'repo');
    if (git(['ls-remote', '--heads', 'origin', branch], checkout)) git(['checkout', '--quiet', branch], checkout);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
      fs.writeFileSync(path.join(checkout, file), content);
    }
    git(['add', '.'], checkout);
    git(['commit', '--quiet', '-m', 'arranged by a test'], checkout);
    // The repository fetches the commit: a fetch runs none of its receive hooks.
    git(['--git-dir', repo, 'fetch', '--quiet', checkout, `+HEAD:refs/heads/${branch}`]);
    return git(['rev-parse', 'HEAD'], checkout);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The project's default branch with `files`, the repository created first (as the first request for code does). */
export async function arrangeProjectCode(server: Pick<PierServer, 'url' | 'dataDir'>, projectId: string, headers: Record<string, string>, files: Record<string, string>): Promise<string> {
  await request(`${server.url}/projects/${projectId}/environments/main/source-operations`, { headers });
  return commitToRepository(server, projectId, 'main', files);
}
