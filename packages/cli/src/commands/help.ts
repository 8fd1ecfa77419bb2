import { defineCommand } from '../lib/command.js';
import { CliError } from '../lib/errors.js';
import { buildProgram } from '../lib/program.js';
import { commandListing } from './list.js';
import { loadAllCommands } from './registry.js';

export const { definition, run } = defineCommand({
  name: 'help',
  description: 'Display help for a command',
  arguments: [{ syntax: '[command]', description: 'The command name, e.g. auth:info' }],
  async run(ctx, args) {
    const wanted = args[0];
    if (!wanted) {
      ctx.io.data(await commandListing(ctx, undefined, false));
      return;
    }
    const program = buildProgram(ctx.profile, ctx.io.terminal, await loadAllCommands(), async () => undefined);
    const name = wanted.replace(/\s+/, ':');
    const command = program.commands.find((candidate) => candidate.name() === name || candidate.aliases().includes(name));
    if (!command) throw new CliError('usage', `Command "${wanted}" is not defined.\nRun "${ctx.profile.command} list" to see the available commands.`);
    command.outputHelp();
  },
});

