import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-runtime-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GREETING: 'hi' };

describe('runCommand', () => {
  it('runs a shell snippet with the given environment and reports every line and the exit code', async () => {
    const lines: string[] = [];
    const outcome = await runCommand({ command: 'echo "$GREETING"; echo oops >&2; exit 4', cwd, env, onLine: (l) => void lines.push(l) });
    expect(outcome).toEqual({ exitCode: 4, timedOut: false, cancelled: false });
    expect(lines.sort()).toEqual(['hi', 'oops']);
  });

  it('runs the stop command on timeout, then stops the process and its children', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const outcome = await runCommand({
      command: 'sleep 30 & sleep 30; echo never',
      cwd,
      env,
      onLine: (l) => void lines.push(l),
      timeoutMs: 300,
      stop: { command: `touch ${cwd}/stopped`, graceMs: 500 },
    });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines).toContain(`Running the stop command: touch ${cwd}/stopped`);
    expect(lines).not.toContain('never');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fs.existsSync(path.join(cwd, 'stopped'))).toBe(true);
  });

  it('kills a process that ignores SIGTERM once the grace time is over', async () => {
    const outcome = await runCommand({ command: "trap '' TERM; sleep 30", cwd, env, onLine: () => undefined, timeoutMs: 200, stop: { command: undefined, graceMs: 300 } });
    expect(outcome.timedOut).toBe(true);
  });

  it('stops when the activity is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 200);
    const outcome = await runCommand({ command: 'sleep 30', cwd, env, onLine: () => undefined, signal: controller.signal });
    expect(outcome.cancelled).toBe(true);
  });
});
