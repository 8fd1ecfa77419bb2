import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The data directory's files a backup carries, in the order it reads them. Left out: the live
 * database files (a consistent snapshot goes in instead), sockets and scratch work trees, and
 * the SSH gateway's folder (its host key and files are recreated at its start). In every git
 * repository the refs are read before the objects: objects are written before the refs that
 * name them, so a push landing meanwhile can add objects nothing names yet, never a ref to an
 * object the archive lacks.
 */
export function dataFilesToArchive(config: Pick<Config, 'dataDir' | 'ssh'>, alsoSkip: string[]): string[] {
  const root = config.dataDir;
  const skipped = new Set(['pier.sqlite', 'pier.sqlite-wal', 'pier.sqlite-shm', 'pier.sqlite-journal', 'run', 'work']);
  for (const folder of [config.ssh.gatewayDir, path.dirname(config.ssh.socket), ...alsoSkip]) {
    const relative = path.relative(root, folder);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) skipped.add(relative);
  }
  const files: string[] = [];
  const walk = (relative: string) => {
    const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => order(relative, a.name) - order(relative, b.name) || a.name.localeCompare(b.name));
    for (const entry of entries) {
      const child = relative ? path.join(relative, entry.name) : entry.name;
      if (skipped.has(child) || entry.isSocket() || entry.isFIFO()) continue;
      files.push(child);
      if (entry.isDirectory()) walk(child);
    }
  };
  walk('');
  return files;
}

/** Inside a bare repository (`git/<project>.git/`), `objects` comes last. */
function order(parent: string, name: string): number {
  return parent.startsWith(`git${path.sep}`) && parent.endsWith('.git') && name === 'objects' ? 1 : 0;
}
