import { CommanderError } from 'commander';
import { commandLoaders, loadAllCommands } from './commands/registry.js';
import type { CommandModule } from './lib/command.js';
import type { ContextDependencies } from './lib/context.js';
import { CliError, exitCodeFor } from './lib/errors.js';
import type { Terminal } from './lib/io.js';
import { buildProgram, versionLine } from './lib/program.js';
import { redactText, SecretRegistry } from './lib/redact.js';
import { vendorProfile, vendorProfileIds, type CliVendorProfile, type VendorProfileId } from './lib/vendor-profile.js';

/** Process entry, called by `bin/pier.cjs` and `bin/platform.cjs` with their vendor profile. */
export async function main(profileId: VendorProfileId): Promise<void> {
  // Getters: touching process.stdin loads net/tty machinery that `--version` does not need.
  const terminal: Terminal = {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
  };
  const code = await runCli(vendorProfile(profileId), process.argv.slice(2), terminal);
  // Exit as soon as the output is flushed: fetch keeps idle keep-alive sockets open for a while,
  // which would otherwise hold every command back by ~100 ms.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/**
 * The `--version` line of each profile. build.mjs saves them beside the bundle so that
 * bin/load-bundle.cjs answers `--version` without loading the bundle at all.
 */
export function versionLines(): Record<VendorProfileId, string> {
  return Object.fromEntries(vendorProfileIds.map((id) => [id, versionLine(vendorProfile(id))])) as Record<VendorProfileId, string>;
}

/**
 * Runs one command line and returns the exit code; every error is mapped here and only here.
 * Tests inject `dependencies` (canned HTTP responses) to run a command without a server.
 */
export async function runCli(profile: CliVendorProfile, argv: string[], terminal: Terminal, dependencies: ContextDependencies = {}): Promise<number> {
  const verbosity = countVerbosity(argv);
  const secrets = new SecretRegistry();
  try {
    const args = joinSpacedCommandName(argv);
    const { modules, args: finalArgs } = await modulesFor(args);
    const program = buildProgram(profile, terminal, modules, async (module, positional, options, globals) => {
      const { Context } = await import('./lib/context.js');
      const ctx = await Context.create(profile, terminal, globals, secrets, dependencies);
      await module.run(ctx, positional, options);
    });
    await program.parseAsync(finalArgs, { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, terminal, verbosity, secrets);
  }
}

/**
 * Only the module of the command being run is loaded. Aliases, unknown names and help listings
 * need every definition, so they load all (still one bundle, no extra files).
 */
async function modulesFor(args: string[]): Promise<{ modules: CommandModule[]; args: string[] }> {
  const name = args.find((arg) => !arg.startsWith('-'));
  const load = name === undefined ? undefined : commandLoaders[name];
  if (load) return { modules: [await load()], args };
  if (name === undefined && !args.some((arg) => /^(-V|--version|-h|--help)$/.test(arg))) {
    const list = commandLoaders.list;
    if (list) return { modules: [await list()], args: ['list', ...args] };
  }
  return { modules: await loadAllCommands(), args };
}

/** `pier auth info` means `pier auth:info`, as in the Platform.sh CLI. */
function joinSpacedCommandName(argv: string[]): string[] {
  const index = argv.findIndex((arg) => !arg.startsWith('-'));
  const first = argv[index];
  const second = argv[index + 1];
  if (first === undefined || second === undefined || commandLoaders[first]) return argv;
  const joined = `${first}:${second}`;
  return commandLoaders[joined] ? [...argv.slice(0, index), joined, ...argv.slice(index + 2)] : argv;
}

function countVerbosity(argv: string[]): number {
  return argv.reduce((count, arg) => (/^-v+$/.test(arg) ? count + arg.length - 1 : arg === '--verbose' ? count + 1 : count), 0);
}

function reportError(error: unknown, terminal: Terminal, verbosity: number, secrets: SecretRegistry): number {
  if (error instanceof CommanderError) return error.exitCode; // commander already printed it
  const message = error instanceof CliError ? error.message : `${(error as Error)?.message ?? String(error)}`;
  const colour = terminal.stderr.isTTY === true && !terminal.env.NO_COLOR;
  const text = redactText(message, secrets.list());
  // An empty message: the command already said what went wrong (a failed activity's result line).
  if (text) terminal.stderr.write(colour ? `\x1b[31m${text}\x1b[39m\n` : `${text}\n`);
  if (verbosity >= 3 && error instanceof Error && !(error instanceof CliError) && error.stack) {
    terminal.stderr.write(`${redactText(error.stack, secrets.list())}\n`);
  }
  return exitCodeFor(error);
}

/** For build.mjs, which warms the code cache by running commands in-process. */
export { vendorProfile };
