import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Launch } from './launch.js';
import { signalSandbox } from './signal-sandbox.js';

export interface CommandRun {
  launch: Launch;
  /** Every line of stderr, and of stdout unless `output` takes it, in order. */
  onLine: (line: string) => void | Promise<void>;
  /** Bytes for the command's stdin (an archive to unpack); none by default. */
  input?: Readable;
  /** Where stdout goes, raw (an archive, a bundle), instead of `onLine`. */
  output?: Writable;
  /** After this the stop command runs (if any), then SIGTERM, then SIGKILL after the grace time. */
  timeoutMs?: number;
  stop?: { launch: Launch | undefined; graceMs: number };
  signal?: AbortSignal;
}

export interface CommandOutcome {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

/**
 * Runs one launch (a hook, a cron, a source operation's command) and reports its lines. Stopping
 * it reaches every process it started: for a sandbox, each process of its PID namespace; unconfined,
 * its process group.
 */
export async function runCommand(run: CommandRun): Promise<CommandOutcome> {
  // Cancelled between two steps of an activity: the next one does not start.
  if (run.signal?.aborted) return { exitCode: 128 + 15, timedOut: false, cancelled: true };
  const { launch } = run;
  const sandboxed = launch.fdArgs.length > 0;
  const child = spawn(launch.file, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    stdio: [run.input ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(sandboxed ? (['pipe', 'pipe'] as const) : [])],
    detached: true,
  });
  const sandboxPid = sandboxed ? handOver(child.stdio[3] as Writable, child.stdio[4] as Readable, launch.fdArgs) : Promise.resolve(undefined);
  const pending: Array<void | Promise<void>> = [];
  const lines = (stream: Readable) =>
    createInterface({ input: stream }).on('line', (line) => {
      const reported = Promise.resolve(run.onLine(line));
      // A failed report fails the run through Promise.all below, once the process is gone; until
      // then it must not count as an unhandled rejection, which would end the whole server.
      reported.catch(() => undefined);
      pending.push(reported);
    });
  lines(child.stderr!);
  // A failing output (a full disk, a cancelled upload) fails the run once the process is gone.
  const output = run.output ? pipeline(child.stdout!, run.output) : undefined;
  output?.catch(() => undefined);
  if (!run.output) lines(child.stdout!);
  // The process may stop reading its input early (a failing tar); that is its exit status's business.
  if (run.input) pipeline(run.input, child.stdin!).catch(() => undefined);
  let timedOut = false;
  let cancelled = false;
  const closed = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
  });
  const terminate = async () => {
    if (run.stop?.launch) {
      await run.onLine(`Running the stop command.`);
      await runCommand({ launch: run.stop.launch, onLine: run.onLine, timeoutMs: run.stop.graceMs }).catch(() => undefined);
    }
    // Again every few tenths of a second: a process the command started just after a sweep
    // (or one still being set up when the first came) is not left to run out the grace time.
    const sweep = async () => deliver(child.pid, await sandboxPid, 'SIGTERM');
    await sweep();
    const sweeps = setInterval(() => void sweep(), 250);
    const grace = setTimeout(() => void deliver(child.pid, undefined, 'SIGKILL'), run.stop?.graceMs ?? 10_000);
    await closed.catch(() => undefined);
    clearInterval(sweeps);
    clearTimeout(grace);
  };
  const timer = run.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        void terminate();
      }, run.timeoutMs)
    : undefined;
  const onAbort = () => {
    cancelled = true;
    void terminate();
  };
  if (run.signal?.aborted) onAbort();
  else run.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exitCode = await closed;
    await output;
    await Promise.all(pending);
    return { exitCode, timedOut, cancelled };
  } finally {
    if (timer) clearTimeout(timer);
    run.signal?.removeEventListener('abort', onAbort);
  }
}

/** Writes the sandbox's arguments to its fd 3 and learns, from fd 4, the PID of its first process. */
function handOver(argsStream: Writable, infoStream: Readable, fdArgs: string[]): Promise<number | undefined> {
  argsStream.on('error', () => undefined);
  argsStream.end([...fdArgs, '--info-fd', '4'].map((arg) => `${arg}\0`).join(''));
  return new Promise((resolve) => {
    let info = '';
    infoStream.on('data', (chunk: Buffer) => (info += chunk.toString()));
    infoStream.on('error', () => resolve(undefined));
    infoStream.on('close', () => {
      const pid = /"child-pid":\s*(\d+)/.exec(info)?.[1];
      resolve(pid ? Number(pid) : undefined);
    });
  });
}

/**
 * SIGTERM goes to every process inside the sandbox (its first process, bubblewrap's reaper, ends
 * when they do); SIGKILL to bubblewrap itself, whose death takes the whole PID namespace with it.
 */
async function deliver(pid: number | undefined, sandboxPid: number | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!pid) return;
  if (sandboxPid && signal !== 'SIGKILL') {
    await signalSandbox(sandboxPid, signal);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
