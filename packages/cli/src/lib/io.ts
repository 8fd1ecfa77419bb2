import { styleText } from 'node:util';
import { SecretRegistry } from './redact.js';

/** The process streams and environment, injected so commands can run against fakes. */
export interface Terminal {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Where project and environment detection starts; the process's working directory if unset. */
  readonly cwd?: string;
}

export interface IoSettings {
  verbosity: number;
  quiet: boolean;
  /** False with --yes, --no-interaction, <PREFIX>NO_INTERACTION, or when stdin is not a TTY. */
  interactive: boolean;
  noColorVariable: string;
  /** Secrets learnt during the run (shared with the error report); a fresh registry if unset. */
  secrets?: SecretRegistry;
}

/**
 * Data goes to stdout, everything meant for a human to stderr, so `$(pier …)` captures only
 * data. Colour only on a TTY and never with NO_COLOR (https://no-color.org).
 */
export class Io {
  readonly verbosity: number;
  readonly interactive: boolean;
  private readonly quiet: boolean;
  private readonly colourOnStderr: boolean;
  readonly colourOnStdout: boolean;
  readonly secrets: SecretRegistry;

  constructor(
    readonly terminal: Terminal,
    settings: IoSettings,
  ) {
    this.verbosity = settings.verbosity;
    this.quiet = settings.quiet;
    this.interactive = settings.interactive;
    this.secrets = settings.secrets ?? new SecretRegistry();
    const colourAllowed = !terminal.env.NO_COLOR && !terminal.env[settings.noColorVariable] && terminal.env.TERM !== 'dumb';
    this.colourOnStdout = colourAllowed && terminal.stdout.isTTY === true;
    this.colourOnStderr = colourAllowed && terminal.stderr.isTTY === true;
  }

  /** Terminal width for tables, or undefined when stdout is not a terminal. */
  get width(): number | undefined {
    return this.terminal.stdout.isTTY ? this.terminal.stdout.columns : undefined;
  }

  data(text: string): void {
    this.terminal.stdout.write(text);
  }

  message(text: string): void {
    if (!this.quiet) this.terminal.stderr.write(`${text}\n`);
  }

  warning(text: string): void {
    if (!this.quiet) this.terminal.stderr.write(`${this.paint('yellow', text)}\n`);
  }

  /** Errors are shown even with --quiet: a silent failure is worse than a noisy one. */
  error(text: string): void {
    this.terminal.stderr.write(`${this.paint('red', text)}\n`);
  }

  /** Diagnostics shown from the given verbosity (1 = -v, 2 = -vv, 3 = -vvv). */
  debug(level: number, text: string): void {
    if (this.verbosity >= level) this.terminal.stderr.write(`${this.paint('gray', text)}\n`);
  }

  private paint(colour: 'red' | 'yellow' | 'gray', text: string): string {
    return this.colourOnStderr ? styleText(colour, text) : text;
  }
}
