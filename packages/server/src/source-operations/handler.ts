import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runCommand } from '@pier/runtime';
import { shellQuote } from '@pier/wire';
import type { WorkerServices } from '../services.js';
import type { ActivityHandler } from '../activities/worker.js';
import { loadGrant } from '../access/grants.js';
import { ensureRepository } from '../git/repositories.js';
import { readAppConfig, runtimeSettings, sourceOperations } from '../git/app-config.js';
import { checkPush, recordPush, type Pusher } from '../git/pushes.js';
import { accountFolder } from '../runtime/environment-layout.js';
import { APP_DIR, type SandboxContext } from '../runtime/environment-sandbox.js';
import { runtimeEnvironment } from '../variables/runtime-environment.js';
import { takeSourceOperationVariables } from './variables.js';

export const SOURCE_OPERATION_ACTIVITY = 'environment.source-operation';
const run = promisify(execFile);
/** The commit step's exit status when the command changed nothing. */
const NOTHING_CHANGED = 3;
/** Where the clone step sees the project's repository (read-only). */
const REPO_DIR = '/repo';

/**
 * Runs a source operation in the environment's sandbox: clone the branch, run its command with the
 * build variables plus `<PREFIX>SOURCE_DIR`, commit what changed as the user who started it — all
 * as the environment's account, so the work tree's config and hooks are only ever the user's own
 * business. The commit leaves the sandbox as a git bundle (data, not a repository the server would
 * open); the server checks it like any push and moves the branch. A failing command commits nothing.
 */
export function sourceOperationHandler(services: WorkerServices): ActivityHandler {
  return async ({ activity, payload, signal, log }) => {
    const operation = String(payload.operation ?? '');
    const project = await services.projects.get(activity.project_id);
    const environment = await services.environments.require(project.id, activity.environment_id);
    const repo = ensureRepository(services.config, project.id, project.default_branch);
    const config = await readAppConfig(repo, environment.id, services.vendor.projectConfigDir);
    const definition = sourceOperations(config).find((o) => o.operation === operation);
    if (!definition) throw new Error(`No source operation "${operation}" in ${services.vendor.projectConfigDir}/config.yaml on ${environment.id}.`);
    const user = await services.users.findById(activity.actor_id ?? '');
    if (!user) throw new Error(`The user who started this source operation no longer exists.`);
    const sandbox = await services.sandboxes.prepare(project, environment, log);

    const work = path.join(services.config.dataDir, 'work');
    fs.mkdirSync(work, { recursive: true, mode: 0o700 });
    const workdir = path.join(work, activity.id);
    const bundle = `${workdir}.bundle`;
    fs.rmSync(workdir, { recursive: true, force: true });
    accountFolder(workdir, sandbox.account);
    const { limits } = runtimeSettings(config);
    const inSandbox = (command: string[], env: Record<string, string>, extra: Array<{ source: string; target: string; writable: boolean }> = []) =>
      services.sandboxes.launch(sandbox, { binds: [{ source: workdir, target: APP_DIR, writable: true }, ...extra], env, command, limits });
    try {
      const base = (await run('git', ['--git-dir', repo, 'rev-parse', `refs/heads/${environment.id}`], { encoding: 'utf8' })).stdout.trim();
      // The repository is root's: git (its upload-pack, which drops -c settings) must be told it is safe.
      // Paths travel in variables, which an unconfined run maps back to the host.
      const clone = `config=$(mktemp) && printf '[safe]\\n\\tdirectory = %s\\n' "$SOURCE_REPO" > "$config" && GIT_CONFIG_GLOBAL="$config" git clone --quiet --no-local --single-branch --branch ${shellQuote(environment.id)} "$SOURCE_REPO" "$SOURCE_TREE"; status=$?; rm -f "$config"; exit $status`;
      const cloned = await runCommand({
        launch: inSandbox(['/bin/sh', '-c', clone], { SOURCE_REPO: REPO_DIR, SOURCE_TREE: APP_DIR }, [{ source: repo, target: REPO_DIR, writable: false }]),
        onLine: log,
        signal,
      });
      if (cloned.exitCode !== 0) throw new Error('Checking out the branch failed.');

      const prefix = services.vendor.runtimeEnvPrefix;
      // The values were sealed apart from the activity, which every viewer reads.
      const variables = await takeSourceOperationVariables(services, activity.id);
      const extra = Object.fromEntries(Object.entries(variables).filter(([name]) => name.startsWith('env:')).map(([name, value]) => [name.slice(4), value]));
      const env = { ...(await runtimeEnvironment(services, project, environment, 'build')), ...extra, [`${prefix}SOURCE_DIR`]: APP_DIR };
      await log(`Running source operation "${operation}" (${definition.app}): ${definition.command}`);
      const ran = await runCommand({ launch: inSandbox(['/bin/bash', '-c', definition.command], env), onLine: log, signal });
      if (ran.cancelled) throw signal.reason;
      if (ran.exitCode !== 0) throw new Error(`The command exited with status ${ran.exitCode}; nothing was committed.`);

      const author = `${[user.first_name, user.last_name].filter(Boolean).join(' ') || user.username} <${user.email}>`;
      const commitScript = [
        'git add -A',
        `if git diff --cached --quiet; then exit ${NOTHING_CHANGED}; fi`,
        `git -c user.name=${shellQuote(user.username)} -c user.email=${shellQuote(user.email)} commit --quiet --no-verify --author ${shellQuote(author)} -m ${shellQuote(`Source operation: ${operation}`)} >&2`,
        `git bundle create - HEAD ^${base}`,
      ].join(' && ');
      const committed = await runCommand({ launch: inSandbox(['/bin/sh', '-c', commitScript], {}), onLine: log, output: fs.createWriteStream(bundle, { mode: 0o600 }), signal });
      if (committed.exitCode === NOTHING_CHANGED) {
        await log('The command changed nothing; no commit.');
        return;
      }
      if (committed.exitCode !== 0) throw new Error(`Committing the changes failed (status ${committed.exitCode}).`);
      const sha = await applyBundle(services, sandbox, repo, bundle, { oldSha: base, branch: environment.id }, activity);
      await log(`Committed ${sha.slice(0, 12)} as ${user.email} and pushed it to ${environment.id}.`);
      return { payload: { ...payload, commit: sha } };
    } finally {
      fs.rmSync(workdir, { recursive: true, force: true });
      fs.rmSync(bundle, { force: true });
    }
  };
}

/**
 * Brings the bundle's commit into the repository under a private ref, checks it as a push by the
 * user who started the operation, then moves the branch only if nobody moved it meanwhile.
 */
async function applyBundle(
  services: WorkerServices,
  sandbox: SandboxContext,
  repo: string,
  bundle: string,
  target: { oldSha: string; branch: string },
  activity: { id: string; actor_id: string | null; actor_email: string | null; api_token_id: string | null; api_token_name: string | null },
): Promise<string> {
  const incoming = `refs/pier-incoming/${activity.id}`;
  const git = (args: string[]) => run('git', ['--git-dir', repo, ...args], { encoding: 'utf8' });
  try {
    await git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', bundle, `HEAD:${incoming}`]);
    const sha = (await git(['rev-parse', incoming])).stdout.trim();
    const pusher: Pusher = {
      actor: { userId: activity.actor_id, email: activity.actor_email, authMethod: activity.api_token_id ? 'api_token' : 'session', apiTokenId: activity.api_token_id, apiTokenName: activity.api_token_name, clientIp: null },
      project: sandbox.project,
      grant: await loadGrant(services, activity.actor_id ?? '', sandbox.project.id),
    };
    const update = { oldSha: target.oldSha, newSha: sha, branch: target.branch };
    await checkPush(services, pusher, [update]);
    await git(['update-ref', `refs/heads/${target.branch}`, sha, target.oldSha]);
    await recordPush(services, pusher, [update]);
    return sha;
  } finally {
    await git(['update-ref', '-d', incoming]).catch(() => undefined);
  }
}
