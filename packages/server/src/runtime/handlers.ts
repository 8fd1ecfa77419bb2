import type { Services } from '../services.js';
import type { Environment, Project } from '../db/schema.js';
import type { ActivityHandler } from '../activities/worker.js';
import { deployBuild, runCommand } from '@pier/runtime';
import { requireEnvironment } from '../environments/store.js';
import { environmentDataDir } from '../environments/data-folder.js';
import { ensureRepository } from '../git/repositories.js';
import { hookCommand } from '../git/hooks.js';
import { crons, readAppConfig } from '../git/app-config.js';
import { runtimeEnvironment } from '../variables/runtime-environment.js';
import { deployedBuild, environmentRoot, runtimePath } from './app-dir.js';

export const DEPLOY_ACTIVITIES = ['environment.push', 'environment.redeploy'] as const;
export const CRON_ACTIVITY = 'environment.cron';

async function context(services: Services, projectId: string, environmentId: string): Promise<{ project: Project; environment: Environment; repo: string; root: string }> {
  const { db } = services.database;
  const project = await db.selectFrom('projects').selectAll().where('id', '=', projectId).executeTakeFirstOrThrow();
  const environment = await requireEnvironment(db, project.id, environmentId);
  environmentDataDir(services.config.dataDir, project.id, environment.machine_name);
  return {
    project,
    environment,
    repo: ensureRepository(services.config.dataDir, project.id, project.default_branch, hookCommand()),
    root: environmentRoot(services.config.dataDir, project.id, environment.machine_name),
  };
}

/** The variables every process of the environment gets, plus where the server is. */
async function processEnvironment(services: Services, project: Project, environment: Environment, phase: 'build' | 'runtime') {
  return { ...(await runtimeEnvironment(services, project, environment, phase)), [`${services.vendor.runtimeEnvPrefix}URL`]: services.config.publicUrl };
}

/** Build and deploy the branch's head commit (on push or redeploy). */
export function deployHandler(services: Services): ActivityHandler {
  return async ({ activity, payload, signal, log, progress }) => {
    const { project, environment, repo, root } = await context(services, activity.project_id, activity.environment_id);
    if (environment.status !== 'active') {
      await log(`${environment.id} is inactive: nothing deployed.`);
      return;
    }
    const commit = typeof payload.commit === 'string' ? payload.commit : environment.head_commit;
    if (!commit) {
      await log(`${environment.id} has no code yet: nothing deployed.`);
      return;
    }
    const app = Object.values(readAppConfig(repo, commit, services.vendor.projectConfigDir)?.applications ?? {})[0];
    await log(`Building ${environment.id} at ${commit.slice(0, 12)}.`);
    await progress(10);
    await deployBuild({
      root,
      repo,
      commit,
      buildHook: app?.hooks?.build,
      deployHook: app?.hooks?.deploy,
      buildEnv: await processEnvironment(services, project, environment, 'build'),
      runtimeEnv: await processEnvironment(services, project, environment, 'runtime'),
      log,
      signal,
    });
    return { payload: { ...payload, commit } };
  };
}

/** One cron run in the deployed code, with the runtime variables; too long → stop command, then signals. */
export function cronHandler(services: Services): ActivityHandler {
  return async ({ activity, payload, signal, log }) => {
    const { project, environment, repo, root } = await context(services, activity.project_id, activity.environment_id);
    const deployed = deployedBuild(root);
    if (!deployed) throw new Error(`${environment.id} has not been deployed yet.`);
    const cron = crons(readAppConfig(repo, deployed.commit, services.vendor.projectConfigDir)).find((c) => c.name === payload.cron);
    if (!cron) throw new Error(`No cron named ${String(payload.cron)} in the deployed code.`);
    const env = { ...(await processEnvironment(services, project, environment, 'runtime')), HOME: deployed.appDir, PATH: runtimePath(deployed.appDir) };
    await log(`Running cron ${cron.name}: ${cron.start}`);
    const outcome = await runCommand({
      command: cron.start,
      cwd: deployed.appDir,
      env,
      onLine: log,
      timeoutMs: cron.timeoutSeconds * 1000,
      stop: { command: cron.stop, graceMs: cron.shutdownTimeoutSeconds * 1000 },
      signal,
    });
    if (outcome.cancelled) throw signal.reason;
    if (outcome.timedOut) throw new Error(`The cron ran longer than its timeout of ${cron.timeoutSeconds} s and was stopped.`);
    if (outcome.exitCode !== 0) throw new Error(`The cron exited with status ${outcome.exitCode}.`);
  };
}
