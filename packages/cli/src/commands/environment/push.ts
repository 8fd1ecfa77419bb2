import { defineCommand, flag, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { findGitRoot, readGitCheckout } from '../../lib/git-checkout.js';
import { gitAliasUrl, projectIdFromGitRemote } from '../../lib/selection/git-remote.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';
import { gitSshCommand, prepareSsh, runProgram } from '../../lib/ssh/ssh-session.js';

export const { definition, run } = defineCommand({
  name: 'environment:push',
  aliases: ['push'],
  description: 'Push code to an environment',
  help: [
    'git push of SOURCE (default: HEAD) to the branch of the target environment, over SSH with the CLI\'s',
    'certificate. The target is --target, else the current branch. Pushing a branch that has no environment',
    'yet creates an inactive development environment. Contributors push; force-pushing needs admin.',
  ].join('\n'),
  arguments: [{ syntax: '[source]', description: 'The Git source ref, e.g. a branch name or a commit hash (default: HEAD)' }],
  options: {
    target: text('--target <target>', 'The target branch name (default: the current branch)'),
    force: flag('-f, --force', 'Allow non-fast-forward updates'),
    forceWithLease: flag('--force-with-lease', 'Allow non-fast-forward updates, if the remote-tracking branch is up to date'),
    setUpstream: flag('-u, --set-upstream', 'Set the target environment as the upstream for the source branch'),
    project: projectOption,
  },
  examples: ['$ push', '$ environment:push --target feature-x', '$ push HEAD~1 --target main --force'],
  async run(ctx, args, options) {
    const root = findGitRoot(ctx.cwd);
    if (!root) throw new CliError('generic', 'No Git repository found: go to a project directory.');
    const checkout = await readGitCheckout(root);
    const projectId = await new Selection(ctx, options).projectId();
    const source = args[0] ?? 'HEAD';
    const target = options.target ?? checkout.branch;
    if (!target) throw new CliError('generic', 'Could not determine the target environment (a detached HEAD?).\nSpecify it with --target.');

    // The checkout's remote for this project, so remote-tracking branches stay current.
    const remote = [...checkout.remotes].find(([, url]) => projectIdFromGitRemote(url, ctx.profile.command) === projectId)?.[0] ?? gitAliasUrl(ctx.profile.command, projectId);
    const setup = await prepareSsh(ctx);
    ctx.io.message(`Pushing ${source} to the environment ${target} of the project ${projectId}`);
    const pushArgs = [
      'push',
      ...(options.force ? ['--force'] : []),
      ...(options.forceWithLease ? ['--force-with-lease'] : []),
      ...(options.setUpstream ? ['--set-upstream'] : []),
      remote,
      `${source}:refs/heads/${target}`,
    ];
    await runProgram(ctx, 'git', pushArgs, { env: { ...setup.env, GIT_SSH_COMMAND: gitSshCommand(setup) }, cwd: root });
  },
});

