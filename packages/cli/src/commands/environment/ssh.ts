import { defineCommand, flag, list } from '../../lib/command.js';
import { shellWord as shellQuote } from '@pier/wire';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { targetVariable } from '../../lib/ssh/ssh-config.js';
import { prepareSsh, runProgram } from '../../lib/ssh/ssh-session.js';

export const { definition, run } = defineCommand({
  name: 'environment:ssh',
  aliases: ['ssh'],
  description: 'SSH to the current environment',
  help: [
    'Runs the system ssh with the CLI\'s certificate (renewed first if needed) and exits with its exit status.',
    'Without a command, an interactive shell. Put -- before a command that has options of its own.',
  ].join('\n'),
  arguments: [{ syntax: '[cmd...]', description: 'A command to run on the environment' }],
  options: {
    project: projectOption,
    environment: environmentOption,
    option: list('-o, --option <option>', 'An SSH option, passed on as -o to ssh (repeatable)'),
    pipe: flag('--pipe', 'Output the SSH command line instead of running it'),
  },
  examples: ['$ ssh', "$ ssh -e main 'echo $PIER_BRANCH'", '$ ssh -- ls -la'],
  async run(ctx, args, options) {
    const selection = new Selection(ctx, options);
    const [projectId, environmentId] = await Promise.all([selection.projectId(), selection.environmentIdOrDefault()]);
    const setup = await prepareSsh(ctx);
    // The gateway learns the environment from this variable (sshd AcceptEnv); OpenSSH 7.8+.
    const sshArgs = [
      ...setup.options,
      '-o',
      `SetEnv=${targetVariable(ctx)}=${projectId}/${environmentId}`,
      ...(options.option ?? []).flatMap((option) => ['-o', option]),
      setup.gateway.host,
      ...args,
    ];
    if (options.pipe) {
      ctx.io.data(`${['ssh', ...sshArgs].map(shellQuote).join(' ')}\n`);
      return;
    }
    await runProgram(ctx, 'ssh', sshArgs, { env: setup.env });
  },
});

