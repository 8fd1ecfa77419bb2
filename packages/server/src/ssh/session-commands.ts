import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import type { Services } from '../services.js';
import type { Environment, Project } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { loadGrant } from '../access/grants.js';
import { decideEnvironmentAction, decideProjectAction, type EnvironmentAction, type Grant } from '../access/policy.js';
import { recordAudit, type Actor } from '../audit/audit-log.js';
import { environmentDataDir } from '../environments/data-folder.js';
import { ensureRepository, repositoryPath } from '../git/repositories.js';
import { AppConfigError, readAppConfig } from '../git/app-config.js';
import { hookCommand } from '../git/hooks.js';
import { runtimeEnvironment } from '../variables/runtime-environment.js';
import { readCertificate, type CertificateInfo } from './certificates.js';
import { newMachineName } from '../projects/ids.js';

const ZERO = /^0+$/;
const SFTP_SERVER = /(^|\/)sftp-server$/;
const GIT_COMMAND = /^(git-upload-pack|git-receive-pack|git-upload-archive|git upload-pack|git receive-pack|git upload-archive) '?\/?([a-z0-9]+)(?:\.git)?\/?'?$/;

export class Refused extends Error {}

/**
 * The actor behind a user id and (optional) API token id, as the audit trail records it. With
 * `mustBeUsable`, an inactive user or a revoked or expired token is refused.
 */
async function actorFor(services: Services, userId: string, tokenId: string | null, options: { mustBeUsable: boolean; clientIp: string | null }): Promise<Actor> {
  const user = await services.users.findById(userId);
  if (!user || (options.mustBeUsable && user.deactivated === 1)) throw new Refused('This certificate belongs to no active user.');
  const token = tokenId
    ? await services.database.db.selectFrom('api_tokens').select(['name', 'revoked_at', 'expires_at']).where('id', '=', tokenId).executeTakeFirst()
    : undefined;
  if (tokenId && options.mustBeUsable && (!token || token.revoked_at !== null || (token.expires_at !== null && token.expires_at <= isoNow()))) {
    throw new Refused('The API token this certificate was issued for has been revoked or has expired.');
  }
  return { userId: user.id, email: user.email, authMethod: tokenId ? 'api_token' : 'session', apiTokenId: tokenId, apiTokenName: token?.name ?? null, clientIp: options.clientIp };
}

/** Who the certificate belongs to, if they may still log in (user active, token not revoked). */
function identify(services: Services, certificate: CertificateInfo): Promise<Actor> {
  return actorFor(services, certificate.keyId, certificate.extensions['api-token-id@pier'] ?? null, {
    mustBeUsable: true,
    clientIp: process.env.SSH_CLIENT?.split(' ')[0] ?? null,
  });
}

/** `AuthorizedPrincipalsCommand`: print the principal sshd should accept, or nothing. */
export async function authorizedPrincipals(services: Services, certificateBase64: string): Promise<string> {
  const certificate = readCertificate(Buffer.from(certificateBase64, 'base64'));
  await identify(services, certificate);
  return certificate.keyId;
}

function sessionCertificate(): CertificateInfo {
  const file = process.env.SSH_USER_AUTH;
  if (!file) throw new Refused('The gateway needs ExposeAuthInfo.');
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('publickey ') && l.includes('-cert-v01@openssh.com'));
  if (!line) throw new Refused('Log in with a Pier SSH certificate (pier ssh-cert:load).');
  return readCertificate(Buffer.from(line.split(' ')[2] ?? '', 'base64'));
}

function allowed(grant: Grant, action: EnvironmentAction, environment: Environment): void {
  const decision = decideEnvironmentAction(grant, action, environment.type);
  if (!decision.allowed) throw new Refused(`${decision.message} (missing: ${decision.missing})`);
}

async function projectFor(services: Services, actor: Actor, projectId: string): Promise<{ project: Project; grant: Grant }> {
  const project = await services.database.db.selectFrom('projects').selectAll().where('id', '=', projectId).executeTakeFirst();
  const grant = await loadGrant(services.database.db, actor.userId ?? '', projectId);
  if (!project || !decideProjectAction(grant, 'project:view').allowed) throw new Refused(`Project not found: ${projectId}`);
  return { project, grant };
}

/** `ForceCommand`: git over SSH by role, or a shell/rsync/scp/sftp session in an environment. */
export async function runSession(services: Services): Promise<number> {
  const actor = await identify(services, sessionCertificate());
  const command = process.env.SSH_ORIGINAL_COMMAND?.trim() ?? '';
  const git = GIT_COMMAND.exec(command);
  if (git) {
    const [, verb, projectId] = git;
    const { project } = await projectFor(services, actor, projectId!);
    const repo = ensureRepository(services.config.dataDir, project.id, project.default_branch, hookCommand());
    const program = verb!.replace(' ', '-');
    // Pushes are checked ref by ref in the pre-receive hook, which learns the caller from here.
    return run(program, [repo], { ...process.env, PIER_SSH_USER_ID: actor.userId ?? '', PIER_SSH_API_TOKEN_ID: actor.apiTokenId ?? '', PIER_SSH_PROJECT: project.id });
  }

  const target = process.env.PIER_TARGET ?? '';
  const [projectId, ...branch] = target.split('/');
  if (!projectId || branch.length === 0) {
    throw new Refused('Say which environment: ssh -o SetEnv=PIER_TARGET=<project>/<environment> …, or use the host aliases written by `pier ssh-cert:load`.');
  }
  const { project, grant } = await projectFor(services, actor, projectId);
  const environment = await services.database.db
    .selectFrom('environments')
    .selectAll()
    .where('project_id', '=', project.id)
    .where((eb) => eb.or([eb('id', '=', branch.join('/')), eb('machine_name', '=', branch.join('/'))]))
    .executeTakeFirst();
  if (!environment) throw new Refused(`Environment not found: ${branch.join('/')}`);
  allowed(grant, 'environment:ssh', environment);
  if (environment.writes_paused_by) throw new Refused('A safe backup of this environment is running; try again in a moment.');
  const dataDir = environmentDataDir(services.config.dataDir, project.id, environment.machine_name);
  const env = { ...(await runtimeEnvironment(services, project, environment)), HOME: dataDir, PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: process.env.TERM ?? 'dumb' };
  await recordAudit(services.database.db, actor, { action: 'environment.ssh', projectId: project.id, targetType: 'environment', targetId: environment.id, details: { command: command.split(' ')[0] ?? 'shell' } });
  if (SFTP_SERVER.test(command)) return run(command, ['-d', dataDir], env, dataDir);
  if (!command) return run('/bin/bash', ['-l'], env, dataDir);
  return run('/bin/sh', ['-c', command], env, dataDir);
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

interface RefUpdate {
  oldSha: string;
  newSha: string;
  branch: string;
}

function readUpdates(input: string): RefUpdate[] {
  return input
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [oldSha = '', newSha = '', ref = ''] = line.split(' ');
      if (!ref.startsWith('refs/heads/')) throw new Refused(`Only branches can be pushed (not ${ref}).`);
      return { oldSha, newSha, branch: ref.slice('refs/heads/'.length) };
    });
}

/** The pusher, as the session (or source operation) that started git-receive-pack named them. */
async function hookContext(services: Services) {
  const actor = await actorFor(services, process.env.PIER_SSH_USER_ID ?? '', process.env.PIER_SSH_API_TOKEN_ID || null, { mustBeUsable: false, clientIp: null });
  const { project, grant } = await projectFor(services, actor, process.env.PIER_SSH_PROJECT ?? '');
  return { actor, project, grant };
}

/**
 * pre-receive: every pushed branch is checked against the pusher's role on its environment
 * type — contributors push, admins also force-push and delete; a new branch needs contributor
 * on development (it becomes a development environment).
 */
export async function preReceive(services: Services, input: string): Promise<void> {
  const { project, grant } = await hookContext(services);
  for (const update of readUpdates(input)) {
    if (!ZERO.test(update.newSha)) checkAppConfig(services, project.id, update);
    const environment = await services.database.db.selectFrom('environments').selectAll().where('project_id', '=', project.id).where('id', '=', update.branch).executeTakeFirst();
    if (!environment) {
      if (ZERO.test(update.newSha)) continue;
      const decision = decideEnvironmentAction(grant, 'environment:push', 'development');
      if (!decision.allowed) throw new Refused(`${update.branch}: ${decision.message} (missing: ${decision.missing})`);
      continue;
    }
    if (ZERO.test(update.newSha)) {
      if (environment.id === project.default_branch) throw new Refused(`${update.branch}: the default branch cannot be deleted.`);
      allowed(grant, 'environment:manage', environment);
      continue;
    }
    allowed(grant, 'environment:push', environment);
    const fastForward = ZERO.test(update.oldSha) || spawnSync('git', ['merge-base', '--is-ancestor', update.oldSha, update.newSha]).status === 0;
    if (!fastForward) allowed(grant, 'environment:force-push', environment);
  }
}

/** An invalid app config refuses the push, naming the key and line. */
function checkAppConfig(services: Services, projectId: string, update: RefUpdate): void {
  try {
    readAppConfig(repositoryPath(services.config.dataDir, projectId), update.newSha, services.vendor.projectConfigDir);
  } catch (error) {
    if (error instanceof AppConfigError) throw new Refused(`${update.branch}: invalid configuration: ${error.message}`);
    throw error;
  }
}

/** post-receive: environments follow their branches; a new branch becomes an inactive development environment. */
export async function postReceive(services: Services, input: string): Promise<string[]> {
  const { actor, project } = await hookContext(services);
  const { db } = services.database;
  const messages: string[] = [];
  for (const update of readUpdates(input)) {
    if (ZERO.test(update.newSha)) continue;
    const now = isoNow();
    const existing = await db.selectFrom('environments').select(['id', 'status']).where('project_id', '=', project.id).where('id', '=', update.branch).executeTakeFirst();
    await db.transaction().execute(async (trx) => {
      if (existing) {
        await trx.updateTable('environments').set({ head_commit: update.newSha, updated_at: now }).where('project_id', '=', project.id).where('id', '=', update.branch).execute();
      } else {
        await trx
          .insertInto('environments')
          .values({
            project_id: project.id,
            id: update.branch,
            machine_name: newMachineName(update.branch),
            title: update.branch,
            type: 'development',
            parent: project.default_branch,
            status: 'inactive',
            head_commit: update.newSha,
            writes_paused_by: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        messages.push(`Created the inactive development environment ${update.branch}.`);
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
      await recordAudit(trx, actor, { action: 'environment.push', projectId: project.id, targetType: 'environment', targetId: update.branch, details: { from: update.oldSha, to: update.newSha } });
    });
  }
  await services.database.changes.publish('activity', 'queued');
  return messages;
}
