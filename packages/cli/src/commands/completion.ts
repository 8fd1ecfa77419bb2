import { defineCommand, type CommandModule } from '../lib/command.js';
import { CliError } from '../lib/errors.js';
import { loadAllCommands } from './registry.js';

/** Static scripts generated from the command definitions: completing costs no CLI start-up. */
export const { definition, run } = defineCommand({
  name: 'completion',
  description: 'Output a shell completion script (bash, zsh or fish)',
  arguments: [{ syntax: '<shell>', description: 'bash, zsh or fish' }],
  examples: ['$ completion bash > /etc/bash_completion.d/pier', 'source <(pier completion zsh)'],
  async run(ctx, args) {
    const shell = args[0] ?? '';
    const generate = generators[shell];
    if (!generate) throw new CliError('usage', `Unsupported shell: ${shell}. Supported shells: ${Object.keys(generators).join(', ')}`);
    const modules = (await loadAllCommands()).filter(({ definition: d }) => !d.hidden);
    ctx.io.data(generate(ctx.profile.command, modules.flatMap(entriesFor)));
  },
});

interface CompletionEntry {
  name: string;
  description: string;
  options: string[];
}

function entriesFor({ definition }: CommandModule): CompletionEntry[] {
  const options = [
    ...Object.values(definition.options ?? {}).flatMap((option) => [option, ...(option.alternatives ?? [])]).flatMap((option) => option.flags.split(/[ ,]+/).filter((flag) => flag.startsWith('-'))),
    '--help', '--verbose', '--quiet', '--yes', '--no-interaction',
  ];
  return [definition.name, ...(definition.aliases ?? [])].map((name) => ({ name, description: definition.description, options }));
}

const functionName = (command: string) => `_${command.replace(/[^A-Za-z0-9]/g, '_')}_completion`;
const quoteSingle = (text: string) => text.replace(/'/g, `'\\''`);

const generators: Record<string, (command: string, entries: CompletionEntry[]) => string> = {
  // Command names contain ':' which bash splits words on; complete on the raw line instead.
  bash: (command, entries) => `# ${command} completion for bash. Load with: source <(${command} completion bash)
${functionName(command)}() {
  local line="\${COMP_LINE:0:$COMP_POINT}"
  local cur="\${line##* }"
  local -a words
  read -r -a words <<< "$line"
  local count=\${#words[@]}
  [[ "$line" == *" " ]] && count=$((count + 1))
  local candidates
  if (( count <= 2 )); then
    candidates='${entries.map((entry) => entry.name).join(' ')}'
  else
    case "\${words[1]}" in
${entries.map((entry) => `      '${entry.name}') candidates='${entry.options.join(' ')}' ;;`).join('\n')}
    esac
  fi
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local prefix="\${cur%"\${cur##*:}"}"
    COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
  fi
}
complete -F ${functionName(command)} ${command}
`,
  zsh: (command, entries) => `#compdef ${command}
# ${command} completion for zsh. Load with: source <(${command} completion zsh)
${functionName(command)}() {
  if (( CURRENT == 2 )); then
    local -a commands
    commands=(
${entries.map((entry) => `      '${quoteSingle(entry.name.replace(/:/g, '\\:'))}:${quoteSingle(entry.description)}'`).join('\n')}
    )
    _describe -t commands '${command} command' commands
    return
  fi
  case "\${words[2]}" in
${entries.map((entry) => `    '${entry.name}') compadd -- ${entry.options.join(' ')} ;;`).join('\n')}
  esac
}
compdef ${functionName(command)} ${command}
`,
  fish: (command, entries) =>
    `# ${command} completion for fish. Load with: ${command} completion fish | source\n` +
    entries
      .map((entry) => {
        const head = `complete -c ${command} -f -n '__fish_use_subcommand' -a '${entry.name}' -d '${quoteSingle(entry.description)}'`;
        const options = entry.options
          .filter((flag) => flag.startsWith('--'))
          .map((flag) => `complete -c ${command} -f -n '__fish_seen_subcommand_from ${entry.name}' -l '${flag.slice(2)}'`);
        return [head, ...options].join('\n');
      })
      .join('\n') + '\n',
};
