import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the repositories' hooks run: this Node and this pier-server, with the caller's environment. */
export function hookCommand(): string {
  const serverBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/pier-server.js');
  return `${quote(process.execPath)} ${quote(serverBin)} ssh-auth`;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
