import { defineCommand, flag, type CommandModule } from '../lib/command.js';
import type { Context } from '../lib/context.js';
import { buildProgram, versionLine } from '../lib/program.js';
import { loadAllCommands } from './registry.js';

/** Commands grouped by namespace, aliases in brackets, like the Platform.sh CLI's `list`. */
export const { definition, run } = defineCommand({
  name: 'list',
  description: 'List commands',
  arguments: [{ syntax: '[namespace]', description: 'Only list the commands of this namespace' }],
  options: { all: flag('--all', 'Show hidden commands too') },
  async run(ctx, args, options) {
    ctx.io.data(await commandListing(ctx, args[0], options.all === true));
  },
});

export async function commandListing(ctx: Context, namespace: string | undefined, includeHidden: boolean): Promise<string> {
  const { profile } = ctx;
  const modules = (await loadAllCommands())
    .filter(({ definition }) => includeHidden || !definition.hidden)
    .filter(({ definition }) => !namespace || definition.name.startsWith(`${namespace}:`))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const program = buildProgram(profile, ctx.io.terminal, [], async () => undefined);
  // commander keeps the help option apart from the others
  const globals = [
    { flags: '-h, --help', description: 'Display help for the given command' },
    ...program.options.map(({ flags, description }) => ({ flags, description })),
  ];
  const label = ({ definition }: CommandModule) =>
    definition.aliases?.length ? `${definition.name} (${definition.aliases.join(', ')})` : definition.name;
  const width = Math.max(...modules.map((module) => label(module).length), ...globals.map((option) => option.flags.length)) + 2;

  const lines = [versionLine(profile), '', 'Usage:', `  ${profile.command} <command> [options] [arguments]`, '', 'Global options:'];
  for (const option of globals) lines.push(`  ${option.flags.padEnd(width)}${option.description}`);
  lines.push('', namespace ? `Available commands for the "${namespace}" namespace:` : 'Available commands:');
  let currentNamespace = '';
  for (const module of modules) {
    const moduleNamespace = module.definition.name.includes(':') ? module.definition.name.split(':')[0] ?? '' : '';
    if (moduleNamespace && moduleNamespace !== currentNamespace) {
      lines.push(` ${moduleNamespace}`);
      currentNamespace = moduleNamespace;
    }
    lines.push(`  ${label(module).padEnd(width)}${module.definition.description}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Commands without a namespace come first, as in the Platform.sh CLI. */
function sortKey({ definition }: CommandModule): string {
  return definition.name.includes(':') ? `1${definition.name}` : `0${definition.name}`;
}
