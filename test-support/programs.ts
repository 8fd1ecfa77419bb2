/**
 * Runs a program to its end without blocking this process. Servers under test may run in this
 * very process (listening-server.ts): a synchronous spawn of ssh, git or the CLI would stall the
 * server it talks to until the program gave up.
 */
import { spawn } from 'node:child_process';

export interface ProgramResult {
  /** The exit code; 1 when killed by a signal or not started. */
  status: number;
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  output: string;
}

export interface ProgramOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to its standard input, which is then closed (always closed). */
  input?: string;
}

export function runProgram(program: string, args: string[], options: ProgramOptions = {}): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A program that exits without reading its input must not fail the run with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    child.once('error', (error) => resolve({ status: 1, stdout, stderr: `${stderr}${error.message}`, output: `${stdout}${stderr}${error.message}` }));
    child.once('close', (code) => resolve({ status: code ?? 1, stdout, stderr, output: `${stdout}${stderr}` }));
  });
}
