import { runCommandLine } from './command-line.js';
import { processOutput } from './operations/command-output.js';

// The binary: the command line with the process's arguments, environment and streams.
runCommandLine(process.argv.slice(2), { env: process.env, output: processOutput }).then((code) => {
  if (code >= 0) process.exit(code);
});
