import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { PierServer } from './pier-server.js';
import { request } from './http.js';

/**
 * Commits `files` and pushes them to a project's default branch straight into its bare
 * repository, through Pier's hooks as `pusherId` (as source-operations.test.ts does), so tests
 * need no SSH gateway.
 */
export async function pushFiles(server: Pick<PierServer, 'url' | 'env' | 'dataDir'>, projectId: string, pusher: { userId: string; headers: Record<string, string> }, files: Record<string, string>): Promise<void> {
  // Listing source operations creates the project's repository, as it is until the first push.
  await request(`${server.url}/projects/${projectId}/environments/main/source-operations`, { headers: pusher.headers });
  const git = (args: string[], cwd: string, env: Record<string, string> = {}) => {
    const result = spawnSync('git', ['-c', 'user.email=pusher@example.com', '-c', 'user.name=Pusher', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...server.env, ...env } });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-push-'));
  git(['clone', '--quiet', path.join(server.dataDir, 'git', `${projectId}.git`), 'repo'], work);
  const repo = path.join(work, 'repo');
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(repo, name), content);
  git(['add', '.'], repo);
  git(['commit', '-qm', 'files'], repo);
  git(['push', '--quiet', 'origin', 'HEAD:main'], repo, { PIER_SSH_USER_ID: pusher.userId, PIER_SSH_PROJECT: projectId });
  fs.rmSync(work, { recursive: true, force: true });
}
