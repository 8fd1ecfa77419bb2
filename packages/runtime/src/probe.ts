import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BWRAP, bubblewrapLaunch } from './launch.js';
import { runCommand } from './run-command.js';

export type SandboxAvailability = { available: true } | { available: false; problem: string };

const NOBODY = 65534;

/**
 * Whether this host can confine user code: root (to start it as each environment's account),
 * bubblewrap and util-linux's setpriv and prlimit, and a trial run that really builds a sandbox.
 * The problem names what to install or change.
 */
export async function probeSandbox(): Promise<SandboxAvailability> {
  if (process.getuid?.() !== 0) {
    return { available: false, problem: 'pier-server is not running as root, so it cannot start user code as each environment\'s own unprivileged user' };
  }
  for (const [program, install] of [
    [BWRAP, 'bubblewrap (Debian: apt-get install bubblewrap)'],
    ['/usr/bin/setpriv', 'util-linux (setpriv)'],
    ['/usr/bin/prlimit', 'util-linux (prlimit)'],
  ] as const) {
    if (!fs.existsSync(program)) return { available: false, problem: `${program} is missing: install ${install}` };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-sandbox-probe-'));
  // A server stopped while it probes exits before `finally` runs: the folder goes with the process.
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  try {
    fs.writeFileSync(path.join(dir, 'passwd'), `nobody:x:${NOBODY}:${NOBODY}::/:/usr/sbin/nologin\n`);
    fs.writeFileSync(path.join(dir, 'group'), `nogroup:x:${NOBODY}:\n`);
    const lines: string[] = [];
    const launch = bubblewrapLaunch({
      account: { uid: NOBODY, gid: NOBODY },
      identity: { passwd: path.join(dir, 'passwd'), group: path.join(dir, 'group') },
      hostname: 'probe',
      binds: [],
      cwd: '/',
      env: { PATH: '/usr/bin:/bin' },
      network: 'host',
      limits: { memoryMb: 256, processes: 64, cpuSeconds: 10, fileSizeMb: 1 },
      command: ['/bin/sh', '-c', 'test "$(id -u)" = 65534'],
    });
    const outcome = await runCommand({ launch, onLine: (line) => void lines.push(line), timeoutMs: 10_000 });
    if (outcome.exitCode !== 0) return { available: false, problem: `bubblewrap could not build a sandbox here: ${lines.join(' ').trim() || `exit status ${outcome.exitCode}`}` };
    return { available: true };
  } finally {
    process.off('exit', removeDir);
    removeDir();
  }
}
