import fs from 'node:fs';
import path from 'node:path';
import { serverPackageDir } from './package-dir.js';

/** This server's version, from its package.json (metrics, backups and `--version` name it). */
export function pierVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(serverPackageDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
