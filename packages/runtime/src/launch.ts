import type { SandboxSpec } from './sandbox-spec.js';
import { hostSystem } from './host-system.js';

/**
 * How to start one sandboxed command. `file` and `args` show in the host's process list, so they
 * hold nothing secret; the environment's variables travel in `fdArgs`, which the starter writes to
 * file descriptor 3 (NUL-separated, read by `bwrap --args 3`).
 */
export interface Launch {
  file: string;
  args: string[];
  fdArgs: string[];
  env: Record<string, string>;
  cwd: string;
}

export const BWRAP = '/usr/bin/bwrap';
const SETPRIV = '/usr/bin/setpriv';
const PRLIMIT = '/usr/bin/prlimit';
const MB = 1024 * 1024;

/**
 * The `local` driver: bubblewrap, started as root, builds the sandbox's mounts and namespaces, then
 * `setpriv` (from the read-only /usr) becomes the environment's account — dropping every
 * capability, with no_new_privs — and `prlimit` sets the limits before the user's command runs.
 */
export function bubblewrapLaunch(spec: SandboxSpec): Launch {
  const host = hostSystem();
  const { uid, gid } = spec.account;
  if (uid <= 0 || gid <= 0) throw new Error('Sandboxed code never runs as root.');
  const fdArgs = [
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(spec.network === 'none' ? ['--unshare-net'] : []),
    '--die-with-parent',
    ...(spec.terminal ? [] : ['--new-session']),
    '--hostname',
    spec.hostname,
    // Only so that setpriv can switch to the account; it drops them, and the bounding set, at once.
    '--cap-add',
    'CAP_SETUID',
    '--cap-add',
    'CAP_SETGID',
    '--clearenv',
    ...host.systemArgs,
    // Folders bubblewrap makes on its own are root's alone (0700) when it runs as root.
    '--perms',
    '0755',
    '--dir',
    '/etc',
    ...host.etcEntries.flatMap((entry) => ['--ro-bind-try', entry, entry]),
    '--ro-bind',
    spec.identity.passwd,
    '/etc/passwd',
    '--ro-bind',
    spec.identity.group,
    '/etc/group',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--perms',
    '1777',
    '--size',
    String(spec.limits.memoryMb * MB),
    '--tmpfs',
    '/tmp',
    '--perms',
    '0755',
    '--dir',
    '/var',
    '--symlink',
    '../tmp',
    '/var/tmp',
    ...spec.binds.flatMap((bind) => [bind.writable ? '--bind' : '--ro-bind', bind.source, bind.target]),
    '--remount-ro',
    '/',
    '--chdir',
    spec.cwd,
    ...Object.entries(spec.env).flatMap(([name, value]) => ['--setenv', name, value]),
  ];
  const args = [
    '--args',
    '3',
    '--',
    SETPRIV,
    `--reuid=${uid}`,
    `--regid=${gid}`,
    '--clear-groups',
    '--bounding-set=-all',
    '--inh-caps=-all',
    '--no-new-privs',
    '--',
    PRLIMIT,
    `--data=${spec.limits.memoryMb * MB}`,
    `--nproc=${spec.limits.processes}`,
    `--cpu=${spec.limits.cpuSeconds}`,
    `--fsize=${spec.limits.fileSizeMb * MB}`,
    '--',
    ...spec.command,
  ];
  return { file: BWRAP, args, fdArgs, env: {}, cwd: '/' };
}

/**
 * `PIER_SANDBOX=off`: the command runs as the server's own user, on the host's paths (each bind's
 * target mapped back to its source), without namespaces or limits. Only for a machine that runs
 * nobody else's code.
 */
export function unconfinedLaunch(spec: SandboxSpec): Launch {
  const toHost = (inside: string) => {
    const bind = [...spec.binds].sort((a, b) => b.target.length - a.target.length).find((b) => inside === b.target || inside.startsWith(`${b.target}/`));
    return bind ? bind.source + inside.slice(bind.target.length) : inside;
  };
  const env = Object.fromEntries(
    Object.entries(spec.env).map(([name, value]) => [name, value.startsWith('/') ? value.split(':').map(toHost).join(':') : value]),
  );
  const [file, ...args] = spec.command;
  if (!file) throw new Error('No command to run.');
  return { file, args, fdArgs: [], env, cwd: toHost(spec.cwd) };
}
