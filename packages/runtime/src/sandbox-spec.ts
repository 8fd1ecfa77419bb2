/**
 * What a piece of user code may see and use, independent of how it is confined. The `local`
 * driver turns a spec into a bubblewrap command line; another driver (a Pod per environment)
 * would turn the same spec into a Pod or a Job.
 */

/** The unprivileged Unix account an environment's code runs as (never root, never the server's). */
export interface SandboxAccount {
  uid: number;
  gid: number;
}

/** A host folder shown at `target` inside the sandbox. Sources are paths Pier created, never user-made. */
export interface SandboxBind {
  source: string;
  target: string;
  writable: boolean;
}

export interface SandboxLimits {
  /** Private memory per process (RLIMIT_DATA), and the size of the private /tmp. */
  memoryMb: number;
  /** Processes of the account across the host (RLIMIT_NPROC). */
  processes: number;
  /** CPU time per process (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Largest file a process may write (RLIMIT_FSIZE). */
  fileSizeMb: number;
}

export type SandboxNetwork = 'host' | 'none';

export interface SandboxSpec {
  account: SandboxAccount;
  /** Host files for the sandbox's /etc/passwd and /etc/group, naming the account. */
  identity: { passwd: string; group: string };
  hostname: string;
  binds: SandboxBind[];
  /** Working directory inside the sandbox. */
  cwd: string;
  /** The whole environment of the process: nothing of the server's leaks in. */
  env: Record<string, string>;
  network: SandboxNetwork;
  limits: SandboxLimits;
  /** argv inside the sandbox. */
  command: string[];
  /** Keep the caller's terminal (an SSH session with a pty); otherwise the code gets a new session. */
  terminal?: boolean;
}
