import { runCommandLine } from './command-line.js';
import { processOutput } from './operations/command-output.js';

// The bundle's entry (build.mjs): bin/pier-server.js calls `main`; the build runs
// `runCommandLine` in-process to warm the bundle's code cache.
export { runCommandLine };

/** The binary: the command line with the process's arguments, environment and streams. */
export function main(): void {
  runCommandLine(process.argv.slice(2), { env: process.env, output: processOutput }).then((code) => {
    if (code >= 0) process.exit(code);
  });
}
