import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CommandRun {
  /** Run with `/bin/bash -c` (hooks and crons are shell snippets, as on Platform.sh). */
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Every line of stdout and stderr, in order. */
  onLine: (line: string) => void | Promise<void>;
  /** After this the stop command runs (if any), then SIGTERM, then SIGKILL after the grace time. */
  timeoutMs?: number;
  stop?: { command: string | undefined; graceMs: number };
  signal?: AbortSignal;
}

export interface CommandOutcome {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

/** Runs one hook or cron command in its own process group, so stopping it stops its children too. */
export async function runCommand(run: CommandRun): Promise<CommandOutcome> {
  const child = spawn('/bin/bash', ['-c', run.command], { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pending: Array<void | Promise<void>> = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => pending.push(run.onLine(line)));
  let timedOut = false;
  let cancelled = false;
  const closed = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1))));
  const terminate = async () => {
    if (run.stop?.command) {
      await run.onLine(`Running the stop command: ${run.stop.command}`);
      spawn('/bin/bash', ['-c', run.stop.command], { cwd: run.cwd, env: run.env, stdio: 'ignore' });
    }
    kill(child.pid, 'SIGTERM');
    const grace = setTimeout(() => kill(child.pid, 'SIGKILL'), run.stop?.graceMs ?? 10_000);
    await closed;
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
  run.signal?.addEventListener('abort', onAbort, { once: true });
  const exitCode = await closed;
  if (timer) clearTimeout(timer);
  run.signal?.removeEventListener('abort', onAbort);
  await Promise.all(pending);
  return { exitCode, timedOut, cancelled };
}

function kill(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
