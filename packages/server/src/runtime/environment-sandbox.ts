import type { Logger } from 'pino';
import { bubblewrapLaunch, probeSandbox, unconfinedLaunch, type Launch, type SandboxAccount, type SandboxAvailability, type SandboxBind, type SandboxSpec } from '@pier/runtime';
import type { Config } from '../config.js';
import type { Environment, Project } from '../db/schema.js';
import type { VendorProfile } from '../vendor/profile.js';
import type { RuntimeSettings } from '../git/app-config.js';
import type { SandboxAccountStore } from './sandbox-account-store.js';
import { environmentLayout, prepareEnvironmentFolders, type EnvironmentLayout } from './environment-layout.js';
import type { PierMetrics } from '../metrics/pier-metrics.js';

/** Where code finds its build and its data, inside every sandbox (as on Platform.sh, /app). */
export const APP_DIR = '/app';
export const DATA_DIR = '/data';

/** One environment, ready to run code: its account and folders exist. */
export interface SandboxContext {
  project: Project;
  environment: Environment;
  layout: EnvironmentLayout;
  account: SandboxAccount;
}

export interface RunOptions {
  binds: SandboxBind[];
  env: Record<string, string>;
  command: string[];
  cwd?: string;
  terminal?: boolean;
  limits?: RuntimeSettings['limits'];
}

/** User code cannot run here; the message says what to install or set. */
export class SandboxUnavailable extends Error {}

/**
 * The one place that decides how an environment's code runs: as the environment's own account,
 * in a bubblewrap sandbox (the `local` driver), or — only with `PIER_SANDBOX=off` — unconfined.
 */
export class EnvironmentSandboxes {
  private availability: Promise<SandboxAvailability> | undefined;

  constructor(
    private readonly config: Config,
    private readonly vendor: VendorProfile,
    private readonly accounts: SandboxAccountStore,
    private readonly logger: Logger,
    private readonly metrics?: PierMetrics,
  ) {}

  /** Probed once per process; with the sandbox off there is nothing to probe, only a warning. */
  check(): Promise<SandboxAvailability> {
    this.availability ??= this.config.sandbox.enabled
      ? probeSandbox().then((result) => {
          if (!result.available) this.logger.error({ problem: result.problem }, `user code will not run: ${result.problem}. ${ADVICE}`);
          return result;
        })
      : Promise.resolve().then(() => {
          this.logger.warn('PIER_SANDBOX=off: hooks, crons, source operations and SSH sessions run unconfined, as the server\'s own user, and can read its secrets');
          return { available: true };
        });
    return this.availability;
  }

  async requireAvailable(): Promise<void> {
    const result = await this.check();
    if (!result.available) {
      this.metrics?.sandboxFailures.inc({ reason: 'unavailable' });
      throw new SandboxUnavailable(`This server cannot run user code: ${result.problem}. ${ADVICE}`);
    }
  }

  /** What every activity log affected by `PIER_SANDBOX=off` says first. */
  get unconfinedWarning(): string | undefined {
    return this.config.sandbox.enabled ? undefined : 'WARNING: PIER_SANDBOX=off: this code runs unconfined, as the server\'s own user.';
  }

  /** The environment's account and folders; an activity's `log` first gets the unconfined warning, if any. */
  async prepare(project: Project, environment: Environment, log?: (line: string) => Promise<void>): Promise<SandboxContext> {
    await this.requireAvailable();
    if (log && this.unconfinedWarning) await log(this.unconfinedWarning);
    try {
      // Unconfined code runs as the server's own user, so that is who owns its files.
      const account = this.config.sandbox.enabled ? await this.accounts.accountFor(project.id, environment.id) : { uid: process.getuid!(), gid: process.getgid!() };
      const layout = environmentLayout(this.config.dataDir, project.id, environment.machine_name);
      prepareEnvironmentFolders(layout, account, `${project.id}/${environment.id}`);
      return { project, environment, layout, account };
    } catch (error) {
      this.metrics?.sandboxFailures.inc({ reason: 'prepare' });
      throw error;
    }
  }

  /** The variables every process gets besides the environment's own: where things are. */
  baseEnvironment(): Record<string, string> {
    return {
      HOME: APP_DIR,
      PATH: `${APP_DIR}/.${this.vendor.cliCommand}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      LANG: 'C.UTF-8',
      [`${this.vendor.runtimeEnvPrefix}APP_DIR`]: APP_DIR,
    };
  }

  spec(context: SandboxContext, options: RunOptions): SandboxSpec {
    const instance = this.config.sandbox.limits;
    const capped = (asked: number | undefined, most: number) => Math.min(asked ?? most, most);
    return {
      account: context.account,
      identity: context.layout.identity,
      hostname: context.environment.machine_name,
      binds: options.binds,
      cwd: options.cwd ?? APP_DIR,
      env: { ...this.baseEnvironment(), ...options.env },
      network: this.config.sandbox.network,
      limits: {
        memoryMb: capped(options.limits?.memoryMb, instance.memoryMb),
        processes: capped(options.limits?.processes, instance.processes),
        cpuSeconds: capped(options.limits?.cpuSeconds, instance.cpuSeconds),
        fileSizeMb: capped(options.limits?.fileSizeMb, instance.fileSizeMb),
      },
      command: options.command,
      terminal: options.terminal,
    };
  }

  launch(context: SandboxContext, options: RunOptions): Launch {
    const spec = this.spec(context, options);
    this.metrics?.sandboxStarts.inc({ driver: this.config.sandbox.enabled ? 'bubblewrap' : 'unconfined' });
    return this.config.sandbox.enabled ? bubblewrapLaunch(spec) : unconfinedLaunch(spec);
  }
}

const ADVICE = 'Install bubblewrap (Debian: apt-get install bubblewrap) and run pier-server as root (it starts user code as each environment\'s own unprivileged user), or set PIER_SANDBOX=off to run it unconfined on a machine nobody else uses.';

/** The deployed code read-only at /app (an empty folder before the first deploy) and the data folder at /data. */
export function runtimeBinds(layout: EnvironmentLayout, appDir: string | undefined): SandboxBind[] {
  return [
    { source: appDir ?? layout.noCode, target: APP_DIR, writable: false },
    { source: layout.data, target: DATA_DIR, writable: true },
  ];
}
