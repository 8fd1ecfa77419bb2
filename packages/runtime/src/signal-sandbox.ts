import fs from 'node:fs';

/**
 * Sends a signal to every process in the PID namespace whose first process (bubblewrap's reaper)
 * has host PID `firstPid`, except that reaper. Processes a command left behind in the background
 * are found too, which a process group would miss after `setsid`.
 */
export async function signalSandbox(firstPid: number, signal: NodeJS.Signals): Promise<void> {
  let namespace: string;
  try {
    namespace = await fs.promises.readlink(`/proc/${firstPid}/ns/pid`);
  } catch {
    return; // already gone
  }
  for (const entry of await fs.promises.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === firstPid) continue;
    try {
      if ((await fs.promises.readlink(`/proc/${entry}/ns/pid`)) === namespace) process.kill(pid, signal);
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
}
