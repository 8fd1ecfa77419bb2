import fs from 'node:fs';

/** This server's version, from its package.json (metrics, backups and `--version` name it). */
export function pierVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
