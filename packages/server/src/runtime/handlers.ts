import type { WorkerServices } from '../services.js';
import type { ActivityHandler } from '../activities/worker.js';
import { runCommand } from '@pier/runtime';
import { ensureRepository } from '../git/repositories.js';
import { crons, readAppConfig, runtimeSettings } from '../git/app-config.js';
import { runtimeEnvironment } from '../variables/runtime-environment.js';
import { deployedBuild } from './environment-layout.js';
import { runtimeBinds, type SandboxContext } from './environment-sandbox.js';
import { deployBuild } from './deploy.js';

export const DEPLOY_ACTIVITIES = ['environment.push', 'environment.redeploy'] as const;
export const CRON_ACTIVITY = 'environment.cron';

async function context(services: WorkerServices, projectId: string, environmentId: string, log: (line: string) => Promise<void>): Promise<SandboxContext & { repo: string }> {
  const project = await services.projects.get(projectId);
  const environment = await services.environments.require(project.id, environmentId);
  const sandbox = await services.sandboxes.prepare(project, environment, log);
  return { ...sandbox, repo: ensureRepository(services.config, project.id, project.default_branch) };
}

/** Build and deploy the branch's head commit (on push or redeploy). */
export function deployHandler(services: WorkerServices): ActivityHandler {
  return async ({ activity, payload, signal, log, progress }) => {
    const environment = await services.environments.require(activity.project_id, activity.environment_id);
    if (environment.status !== 'active') {
      await log(`${environment.id} is inactive: nothing deployed.`);
      return;
    }
    const commit = typeof payload.commit === 'string' ? payload.commit : environment.head_commit;
    if (!commit) {
      await log(`${environment.id} has no code yet: nothing deployed.`);
      return;
    }
    const sandbox = await context(services, activity.project_id, activity.environment_id, log);
    const settings = runtimeSettings(await readAppConfig(sandbox.repo, commit, services.vendor.projectConfigDir));
    await log(`Building ${environment.id} at ${commit.slice(0, 12)}.`);
    await progress(10);
    await deployBuild({
      sandboxes: services.sandboxes,
      context: sandbox,
      repo: sandbox.repo,
      commit,
      settings,
      buildEnv: await runtimeEnvironment(services, sandbox.project, sandbox.environment, 'build'),
      runtimeEnv: await runtimeEnvironment(services, sandbox.project, sandbox.environment, 'runtime'),
      log,
      signal,
    });
    return { payload: { ...payload, commit } };
  };
}

/** One cron run in the deployed code, with the runtime variables; too long → stop command, then signals. */
export function cronHandler(services: WorkerServices): ActivityHandler {
  return async ({ activity, payload, signal, log }) => {
    // A run taken over after a worker died was counted when it first started.
    if (activity.attempts <= 1) services.metrics.observeCronStart(scheduledFor(activity.parameters));
    const sandbox = await context(services, activity.project_id, activity.environment_id, log);
    const deployed = deployedBuild(sandbox.layout);
    if (!deployed) throw new Error(`${sandbox.environment.id} has not been deployed yet.`);
    const config = await readAppConfig(sandbox.repo, deployed.commit, services.vendor.projectConfigDir);
    const cron = crons(config).find((c) => c.name === payload.cron);
    if (!cron) throw new Error(`No cron named ${String(payload.cron)} in the deployed code.`);
    const { limits } = runtimeSettings(config);
    const env = await runtimeEnvironment(services, sandbox.project, sandbox.environment, 'runtime');
    const binds = runtimeBinds(sandbox.layout, deployed.appDir);
    const launch = (command: string) => services.sandboxes.launch(sandbox, { binds, env, command: ['/bin/bash', '-c', command], limits });
    await log(`Running cron ${cron.name}: ${cron.start}`);
    const outcome = await runCommand({
      launch: launch(cron.start),
      onLine: log,
      timeoutMs: cron.timeoutSeconds * 1000,
      stop: { launch: cron.stop ? launch(cron.stop) : undefined, graceMs: cron.shutdownTimeoutSeconds * 1000 },
      signal,
    });
    if (outcome.cancelled) throw signal.reason;
    if (outcome.timedOut) throw new Error(`The cron ran longer than its timeout of ${cron.timeoutSeconds} s and was stopped.`);
    if (outcome.exitCode !== 0) throw new Error(`The cron exited with status ${outcome.exitCode}.`);
  };
}

/** The minute a scheduled run was for (runs queued by hand have none). */
function scheduledFor(parameters: string): string | undefined {
  try {
    const value = (JSON.parse(parameters) as { scheduled_for?: unknown }).scheduled_for;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
