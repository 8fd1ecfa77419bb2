import { shellQuote } from '@pier/wire';
import type { Launch } from './launch.js';

/**
 * The same launch as a script for `sh` to `eval`: the SSH gateway's client runs it as the session
 * (its stdin, stdout and terminal become the sandbox's). The sandbox's arguments — the variables
 * among them — go through a pipe on fd 3 by `printf`, a shell builtin, so they never appear on a
 * command line; `env -i` drops everything sshd put in the client's environment.
 */
export function shellLaunchScript(launch: Launch): string {
  const command = [launch.file, ...launch.args].map(shellQuote).join(' ');
  if (launch.fdArgs.length === 0) {
    const exports = Object.entries(launch.env).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
    return [`cd ${shellQuote(launch.cwd)} || exit 1`, ...exports, `exec ${command}`, ''].join('\n');
  }
  return [
    'exec 4<&0',
    `printf '%s\\0' ${launch.fdArgs.map(shellQuote).join(' ')} | { exec 3<&0 0<&4 4<&-; exec /usr/bin/env -i ${command}; }`,
    '',
  ].join('\n');
}
