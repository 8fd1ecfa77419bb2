import { Command, Option } from 'commander';
import type { CommandModule, OptionSpec } from './command.js';
import type { GlobalOptions } from './context.js';
import type { Terminal } from './io.js';
import type { CliVendorProfile } from './vendor-profile.js';
import { CLI_VERSION } from './version.js';

export type CommandAction = (
  module: CommandModule,
  args: string[],
  options: Record<string, unknown>,
  globals: GlobalOptions,
) => Promise<void>;

/**
 * The commander program for the given command modules. Global options are the Platform.sh
 * CLI's (-v/-vv/-vvv, -q, -y/--yes, --no-interaction) and work before or after the command.
 */
export function buildProgram(profile: CliVendorProfile, terminal: Terminal, modules: CommandModule[], action: CommandAction): Command {
  const program = new Command(profile.command)
    .description(`${profile.productName} CLI`)
    .version(versionLine(profile), '-V, --version', 'Display this application version')
    .option('-v, --verbose', 'Increase verbosity: -v HTTP requests, -vv headers, -vvv bodies and debug', (_value: string, previous: number) => previous + 1, 0)
    .option('-q, --quiet', 'Do not output any message (data and errors still are)')
    .option('-y, --yes', 'Answer "yes" to confirmation questions; accept the default value for other questions; disable interaction')
    .option('--no-interaction', `Do not ask any interactive questions; accept default values. Equivalent to: ${profile.envPrefix}NO_INTERACTION=1`)
    .helpOption('-h, --help', 'Display help for the given command')
    .helpCommand(false)
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => terminal.stdout.write(text),
      writeErr: (text) => terminal.stderr.write(text),
    })
    .showHelpAfterError(`For more information, type: ${profile.command} help <command>`)
    .exitOverride();

  for (const module of modules) {
    const { definition } = module;
    const command = program.command(definition.name, { hidden: definition.hidden ?? false }).description(definition.description);
    for (const alias of definition.aliases ?? []) command.alias(alias);
    for (const argument of definition.arguments ?? []) command.argument(argument.syntax, argument.description);
    for (const [key, option] of Object.entries(definition.options ?? {})) {
      for (const built of commanderOptions(option)) {
        // Checked here so that a command's option keys can never drift from its flags.
        if (built.attributeName() !== key) throw new Error(`${definition.name}: the option ${built.flags} is declared as "${key}"`);
        command.addOption(built);
      }
    }
    const extra = [definition.help, examplesText(profile, definition.examples)].filter(Boolean).join('\n\n');
    if (extra) command.addHelpText('after', `\n${extra}`);
    command.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      // Flattened: a variadic last argument (`[environment...]`) arrives as an array.
      const args = self.processedArgs.flat().filter((value): value is string => typeof value === 'string');
      await action(module, args, self.opts(), readGlobals(program));
    });
  }
  return program;
}

export function versionLine(profile: CliVendorProfile): string {
  return `${profile.productName} CLI ${CLI_VERSION}`;
}

/** The declared option and its alternatives, as commander options. */
function commanderOptions(option: OptionSpec<unknown>): Option[] {
  const main = new Option(option.flags, option.description);
  if (option.defaultValue !== undefined) main.default(option.defaultValue);
  if (option.required) main.makeOptionMandatory();
  if (option.hidden) main.hideHelp();
  if (option.kind === 'list') main.argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? previous : []), value]);
  const alternatives = (option.alternatives ?? []).map((alternative) => {
    const built = new Option(alternative.flags, alternative.description);
    if (alternative.hidden) built.hideHelp();
    return built;
  });
  return [main, ...alternatives];
}

function readGlobals(program: Command): GlobalOptions {
  const options = program.opts<{ verbose?: number; quiet?: boolean; yes?: boolean; interaction?: boolean }>();
  return {
    verbose: options.verbose ?? 0,
    quiet: options.quiet === true,
    yes: options.yes === true,
    interaction: options.interaction !== false,
  };
}

function examplesText(profile: CliVendorProfile, examples: string[] | undefined): string {
  if (!examples?.length) return '';
  return `Examples:\n${examples.map((example) => `  ${example.replace(/^\$ /, `${profile.command} `)}`).join('\n')}`;
}
