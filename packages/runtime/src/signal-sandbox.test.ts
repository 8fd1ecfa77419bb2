import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { signalSandbox } from './signal-sandbox.js';

describe('signalSandbox', () => {
  it('signals nothing when the PID it is given lives in this process’s own namespace (a reused PID)', async () => {
    // SIGCONT leaves running processes as they are, should the guard ever fail.
    const host = spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(host, 'spawn');
    try {
      expect(await signalSandbox(host.pid!, 'SIGCONT')).toBe(0);
    } finally {
      host.kill('SIGKILL');
    }
  });

  it('signals nothing for a PID that is gone', async () => {
    const gone = spawn('true', { stdio: 'ignore' });
    await once(gone, 'exit');
    expect(await signalSandbox(gone.pid!, 'SIGCONT')).toBe(0);
  });
});
