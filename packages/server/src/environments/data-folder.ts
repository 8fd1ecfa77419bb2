import fs from 'node:fs';
import path from 'node:path';

/**
 * Every environment owns a data folder under the data directory: the files its runtime mounts,
 * what SSH, rsync and scp reach, and what backups archive.
 */
export function environmentDataDir(dataDir: string, projectId: string, machineName: string): string {
  const dir = path.join(dataDir, 'projects', projectId, 'environments', machineName, 'data');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
