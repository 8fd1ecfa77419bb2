import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's folder (`packages/server`), found by walking up from this code to its
 * package.json: the same from a compiled module (`dist/<domain>/x.js`) and from the bundle
 * `pier-server` runs (`dist/bundle/pier-server.cjs`), which sit at different depths.
 */
function findServerPackageDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const serverPackageDir = findServerPackageDir();

/** A sibling package's folder in the installation (`console`, `cli`). */
export function siblingPackageDir(name: string): string {
  return path.join(serverPackageDir, '..', name);
}
