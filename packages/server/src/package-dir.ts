import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder, from this code's own upwards, that holds `entry`; undefined at the root. */
export function folderAbove(entry: string): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, entry))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The server package's folder (`packages/server`), the first above this code with a package.json:
 * the same from a compiled module (`dist/<domain>/x.js`) and from the bundle `pier-server` runs
 * (`dist/bundle/pier-server.cjs`), which sit at different depths.
 */
export const serverPackageDir =
  folderAbove('package.json') ??
  (() => {
    throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  })();

/** A sibling package's folder in the installation (`console`, `cli`). */
export function siblingPackageDir(name: string): string {
  return path.join(serverPackageDir, '..', name);
}
