import fs from 'node:fs';

/**
 * Sends a signal to every process in the PID namespace whose first process (bubblewrap's reaper)
 * has host PID `firstPid`, except that reaper. Processes a command left behind in the background
 * are found too, which a process group would miss after `setsid`. Answers how many were signalled.
 *
 * Once the sandbox is gone its PID may belong to another process; if that one lives in this
 * process's own namespace, nothing is signalled (it would otherwise be every process on the host).
 */
export async function signalSandbox(firstPid: number, signal: NodeJS.Signals): Promise<number> {
  let namespace: string;
  try {
    namespace = await fs.promises.readlink(`/proc/${firstPid}/ns/pid`);
  } catch {
    return 0; // already gone
  }
  if (namespace === (await fs.promises.readlink('/proc/self/ns/pid'))) return 0;
  let signalled = 0;
  for (const entry of await fs.promises.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === firstPid) continue;
    try {
      if ((await fs.promises.readlink(`/proc/${entry}/ns/pid`)) === namespace) {
        process.kill(pid, signal);
        signalled++;
      }
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return signalled;
}
