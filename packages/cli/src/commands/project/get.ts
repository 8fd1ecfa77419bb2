import fs from 'node:fs';
import path from 'node:path';
import { defineCommand, text } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { gitAliasUrl } from '../../lib/selection/git-remote.js';
import { Selection } from '../../lib/selection/selection.js';
import { gitSshCommand, prepareSsh, runProgram } from '../../lib/ssh/ssh-session.js';

export const { definition, run } = defineCommand({
  name: 'project:get',
  aliases: ['get'],
  description: 'Clone a project locally',
  help: [
    'Clones the project\'s repository over SSH with the CLI\'s certificate. The remote is named after the',
    'CLI command and points at the git host alias that ssh-cert:load writes, so that after ssh-cert:load',
    'plain git fetch and git push work in the checkout.',
  ].join('\n'),
  arguments: [
    { syntax: '[project]', description: 'The project ID' },
    { syntax: '[directory]', description: 'The directory to clone to (default: the project title, as a folder name)' },
  ],
  options: {
    project: text('-p, --project <project>', 'The project ID (instead of the argument)'),
    environment: text('-e, --environment <environment>', 'The environment (branch) to check out'),
    depth: text('--depth <depth>', 'Create a shallow clone: limit the number of commits in the history'),
  },
  examples: ['$ get abc123def4567', '$ project:get abc123def4567 shop -e staging'],
  async run(ctx, args, options) {
    const projectArgument = args[0] ?? options.project;
    if (!projectArgument) throw new CliError('usage', 'The project ID is required: project:get <project> [directory]');
    const project = await new Selection(ctx, { project: projectArgument }).project();
    const directory = path.resolve(ctx.cwd, args[1] ?? folderName(project.title, project.id));
    if (fs.existsSync(directory) && fs.readdirSync(directory).length > 0) throw new CliError('generic', `The directory already exists: ${directory}`);
    if (options.depth !== undefined && !/^[1-9][0-9]*$/.test(options.depth)) throw new CliError('usage', `Invalid --depth: ${options.depth}`);

    const setup = await prepareSsh(ctx);
    ctx.io.message(`Downloading project ${project.title} (${project.id})`);
    const remote = ctx.profile.gitRemoteName;
    const cloneArgs = [
      'clone',
      '--origin',
      remote,
      ...(options.environment ? ['--branch', options.environment] : []),
      ...(options.depth ? ['--depth', options.depth] : []),
      gitAliasUrl(ctx.profile.command, project.id),
      directory,
    ];
    await runProgram(ctx, 'git', cloneArgs, { env: { ...setup.env, GIT_SSH_COMMAND: gitSshCommand(setup) } });
    writeLocalProjectConfig(ctx, directory, project.id);
    ctx.io.message(`\nThe project ${project.title} was successfully downloaded to: ${directory}`);
  },
});

/**
 * `<config dir>/local/project.yaml` names the project for later commands in the checkout, as the
 * Platform.sh CLI writes it; git is told to ignore the folder.
 */
function writeLocalProjectConfig(ctx: Context, directory: string, projectId: string): void {
  const localDir = path.join(directory, ctx.profile.projectConfigDirName, 'local');
  fs.mkdirSync(localDir, { recursive: true });
  fs.writeFileSync(path.join(localDir, 'project.yaml'), `id: ${projectId}\n`);
  const exclude = path.join(directory, '.git', 'info', 'exclude');
  const line = `/${ctx.profile.projectConfigDirName}/local/`;
  const current = fs.existsSync(exclude) ? fs.readFileSync(exclude, 'utf8') : '';
  if (!current.split('\n').includes(line)) {
    fs.mkdirSync(path.dirname(exclude), { recursive: true });
    fs.writeFileSync(exclude, `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}${line}\n`);
  }
}

function folderName(title: string, fallback: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || fallback;
}
