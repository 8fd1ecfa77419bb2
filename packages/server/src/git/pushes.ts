import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Services } from '../services.js';
import type { Project } from '../db/schema.js';
import { decideEnvironmentAction, type EnvironmentAction, type Grant } from '../access/policy.js';
import { type Actor } from '../audit/audit-log.js';
import { AppConfigError, readAppConfig } from './app-config.js';
import { repositoryPath } from './repositories.js';

const run = promisify(execFile);
const ZERO = /^0+$/;

/** A push is refused; the message goes back to the pusher (git prints it as `remote: …`). */
export class PushRefused extends Error {}

export interface RefUpdate {
  oldSha: string;
  newSha: string;
  branch: string;
}

/** Who pushes to which project, with what rights. */
export interface Pusher {
  actor: Actor;
  project: Project;
  grant: Grant;
}

/** What checking and recording a push uses: no HTTP side, no token machinery. */
export type PushServices = Pick<Services, 'activities' | 'audit' | 'config' | 'database' | 'environments' | 'vendor'>;

/** `<old> <new> <ref>` lines, as git hands them to pre- and post-receive. Only branches. */
export function parseRefUpdates(input: string): RefUpdate[] {
  return input
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [oldSha = '', newSha = '', ref = ''] = line.split(' ');
      if (!ref.startsWith('refs/heads/') || !/^[0-9a-f]{40}$/.test(oldSha) || !/^[0-9a-f]{40}$/.test(newSha)) throw new PushRefused(`Only branches can be pushed (not ${ref}).`);
      return { oldSha, newSha, branch: ref.slice('refs/heads/'.length) };
    });
}

function allowed(grant: Grant, action: EnvironmentAction, type: Parameters<typeof decideEnvironmentAction>[2], branch: string): void {
  const decision = decideEnvironmentAction(grant, action, type);
  if (!decision.allowed) throw new PushRefused(`${branch}: ${decision.message} (missing: ${decision.missing})`);
}

/**
 * Every pushed branch is checked against the pusher's role on its environment type —
 * contributors push, admins also force-push and delete; a new branch needs contributor on
 * development (it becomes a development environment) — and its app config must be valid.
 * `gitEnv` carries a push's quarantine, so its objects are visible before they are accepted.
 */
export async function checkPush(services: PushServices, pusher: Pusher, updates: RefUpdate[], gitEnv: Record<string, string> = {}): Promise<void> {
  const repo = repositoryPath(services.config.dataDir, pusher.project.id);
  for (const update of updates) {
    const deleting = ZERO.test(update.newSha);
    if (!deleting) await checkAppConfig(services, repo, update, gitEnv);
    const environment = await services.environments.findByBranch(pusher.project.id, update.branch);
    if (!environment) {
      if (!deleting) allowed(pusher.grant, 'environment:push', 'development', update.branch);
      continue;
    }
    if (deleting) {
      if (environment.id === pusher.project.default_branch) throw new PushRefused(`${update.branch}: the default branch cannot be deleted.`);
      allowed(pusher.grant, 'environment:manage', environment.type, update.branch);
      continue;
    }
    allowed(pusher.grant, 'environment:push', environment.type, update.branch);
    if (!ZERO.test(update.oldSha) && !(await isAncestor(repo, update.oldSha, update.newSha, gitEnv))) {
      allowed(pusher.grant, 'environment:force-push', environment.type, update.branch);
    }
  }
}

async function isAncestor(repo: string, older: string, newer: string, gitEnv: Record<string, string>): Promise<boolean> {
  try {
    await run('git', ['--git-dir', repo, 'merge-base', '--is-ancestor', older, newer], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...gitEnv } });
    return true;
  } catch {
    return false;
  }
}

/** An invalid app config refuses the push, naming the key and line. */
async function checkAppConfig(services: Pick<Services, 'vendor'>, repo: string, update: RefUpdate, gitEnv: Record<string, string>): Promise<void> {
  try {
    await readAppConfig(repo, update.newSha, services.vendor.projectConfigDir, gitEnv);
  } catch (error) {
    if (error instanceof AppConfigError) throw new PushRefused(`${update.branch}: invalid configuration: ${error.message}`);
    throw error;
  }
}

/**
 * After the refs moved: environments follow their branches; a new branch becomes an inactive
 * development environment; an active one is rebuilt and redeployed. Returns messages for the pusher.
 */
export async function recordPush(services: PushServices, pusher: Pusher, updates: RefUpdate[]): Promise<string[]> {
  const { actor, project } = pusher;
  const { db } = services.database;
  const { environments } = services;
  const messages: string[] = [];
  let created = false;
  for (const update of updates) {
    if (ZERO.test(update.newSha)) continue;
    const existing = await environments.findByBranch(project.id, update.branch);
    await db.transaction().execute(async (trx) => {
      if (existing) {
        await environments.setHeadCommit(trx, project.id, update.branch, update.newSha);
      } else {
        await environments.createFromPush(trx, project, update.branch, update.newSha);
        messages.push(`Created the inactive development environment ${update.branch}.`);
        created = true;
      }
      const active = existing?.status === 'active';
      const push = {
        projectId: project.id,
        environmentId: update.branch,
        type: 'environment.push',
        text: `${actor.email} pushed to ${update.branch}`,
        payload: { commits: [{ sha: update.newSha }], old_commit: update.oldSha, commit: update.newSha },
      };
      // An active environment is rebuilt and redeployed; an inactive one just records the push.
      if (active) await services.activities.enqueue(trx, actor, push);
      else await services.activities.recordInstant(trx, actor, push);
      if (active) messages.push(`Deploying ${update.branch}: follow it with \`${services.vendor.cliCommand} activity:log\`.`);
      await services.audit.recordIn(trx, actor, { action: 'environment.push', projectId: project.id, targetType: 'environment', targetId: update.branch, details: { from: update.oldSha, to: update.newSha } });
    });
  }
  await services.database.changes.publish('activity', 'queued');
  if (created) await services.database.changes.publish('environment', project.id);
  return messages;
}
