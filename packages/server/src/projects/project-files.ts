import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../services.js';
import { repositoryPath } from '../git/repositories.js';

/**
 * A deleted project's files: its git repository, its environments' folders (code, builds, data)
 * and its backups. Removed after the rows are gone, so a failure here leaves orphan files (logged),
 * never a half-deleted project.
 */
export async function removeProjectFiles(services: Pick<Services, 'backupStorage' | 'config' | 'logger'>, projectId: string): Promise<void> {
  const { dataDir } = services.config;
  const removals = [
    fs.promises.rm(repositoryPath(dataDir, projectId), { recursive: true, force: true }),
    fs.promises.rm(path.join(dataDir, 'projects', projectId), { recursive: true, force: true }),
    services.backupStorage.removeAll(projectId),
  ];
  for (const outcome of await Promise.allSettled(removals)) {
    if (outcome.status === 'rejected') services.logger.error({ err: outcome.reason, projectId }, 'could not remove a deleted project’s files');
  }
}
