import type { Services } from '../services.js';
import type { Environment, Project } from '../db/schema.js';
import { loadGrant } from '../access/grants.js';
import { decideEnvironmentAction, decideProjectAction, type Grant } from '../access/policy.js';
import { ensureRepository } from '../git/repositories.js';
import { readAppConfig, runtimeSettings } from '../git/app-config.js';
import { shellLaunchScript } from '@pier/runtime';
import { shellQuote } from '@pier/wire';
import { deployedBuild } from '../runtime/environment-layout.js';
import { APP_DIR, runtimeBinds, SandboxUnavailable } from '../runtime/environment-sandbox.js';
import { runtimeEnvironment } from '../variables/runtime-environment.js';
import { gatewayLoginUser, parseLogin } from './gateway-accounts.js';
import { identify, sessionCertificate, SshRefused, type IdentityServices, type SshIdentity } from './identify.js';
import { tokenScopeToBody } from '../access/token-scope.js';
import { PUSHER_VARIABLES, SFTP_SERVERS } from './gateway-protocol.js';
import type { SshSessionKind } from '../metrics/pier-metrics.js';

/** What sshd told the forced command about the session. */
export interface SessionRequest {
  /** The login name (`$USER`). */
  user: string;
  /** `PIER_TARGET` (`<project>/<environment>`), sent by the CLI's host aliases. */
  target: string;
  /** `SSH_ORIGINAL_COMMAND`; empty for a shell. */
  command: string;
  /** The `ExposeAuthInfo` file: the certificate sshd accepted. */
  authInfo: string;
  /** `SSH_CLIENT`: address and ports. */
  client: string;
  tty: boolean;
  term: string;
}

const GIT_COMMAND = /^git[- ](upload-pack|receive-pack|upload-archive) '?\/?([a-z0-9]+)(?:\.git)?\/?'?$/;

/** What kind of session a command asks for, in a word a metric can carry. */
export function sessionKind(command: string): SshSessionKind {
  const trimmed = command.trim();
  const git = GIT_COMMAND.exec(trimmed);
  if (git) return git[1] === 'receive-pack' ? 'git_push' : 'git_fetch';
  if (trimmed === '') return 'shell';
  if (SFTP_SERVERS.includes(trimmed)) return 'sftp';
  if (/^scp\s/.test(trimmed)) return 'scp';
  if (/^rsync --server\s/.test(trimmed)) return 'rsync';
  return 'command';
}

/**
 * Decides one SSH session and returns the shell script the gateway's client runs for it: git on
 * the project's repository by role, or the command (a shell, rsync, scp, sftp) inside the
 * environment's sandbox as the environment's account.
 */
export interface SessionPlan {
  /** The shell script the gateway's client runs. */
  script: string;
  identity: SshIdentity;
}

/** What planning a session reads and starts: identity, grant, environment, variables, sandbox. */
export type SessionServices = IdentityServices & Pick<Services, 'audit' | 'config' | 'environments' | 'projectAccess' | 'projects' | 'sandboxes' | 'variables' | 'vendor'>;

export async function planSession(services: SessionServices, request: SessionRequest): Promise<SessionPlan> {
  const clientIp = request.client.split(' ')[0] || null;
  const actor = await identify(services, sessionCertificate(request.authInfo), clientIp);
  const login = parseLogin(request.user, gatewayLoginUser(services.config, services.vendor));
  if (!login) throw new SshRefused(`Unknown SSH user: ${request.user}`);
  const command = request.command.trim();

  const git = GIT_COMMAND.exec(command);
  if (git) {
    const [, verb, projectId] = git;
    const { project } = await projectFor(services, actor, projectId!);
    const repo = ensureRepository(services.config, project.id, project.default_branch);
    // Pushes are checked ref by ref in the pre-receive hook, which learns the pusher from these.
    const pusher = {
      [PUSHER_VARIABLES.user]: actor.userId,
      [PUSHER_VARIABLES.token]: actor.apiTokenId ?? '',
      [PUSHER_VARIABLES.project]: project.id,
      [PUSHER_VARIABLES.client]: clientIp ?? '',
      [PUSHER_VARIABLES.scope]: actor.scope ? JSON.stringify(tokenScopeToBody(actor.scope)) : '',
    };
    const script = [...Object.entries(pusher).map(([name, value]) => `export ${name}=${shellQuote(value)}`), `exec git ${verb} ${shellQuote(repo)}`, ''].join('\n');
    return { script, identity: actor };
  }

  const { project, grant, environment } = await environmentFor(services, actor, login, request.target);
  const decision = decideEnvironmentAction(grant, 'environment:ssh', environment.type);
  if (!decision.allowed) throw new SshRefused(`${decision.message} (missing: ${decision.missing})`);
  if (environment.writes_paused_by) throw new SshRefused('A safe backup of this environment is running; try again in a moment.');
  let sandbox;
  try {
    sandbox = await services.sandboxes.prepare(project, environment);
  } catch (error) {
    if (error instanceof SandboxUnavailable) throw new SshRefused(error.message);
    throw error;
  }
  const deployed = deployedBuild(sandbox.layout);
  const settings = deployed ? runtimeSettings(await readAppConfig(ensureRepository(services.config, project.id, project.default_branch), deployed.commit, services.vendor.projectConfigDir)) : undefined;
  const env = { ...(await runtimeEnvironment(services, project, environment, 'runtime')), TERM: request.term || 'dumb' };
  const argv = SFTP_SERVERS.includes(command) ? [command, '-d', APP_DIR] : command ? ['/bin/bash', '-c', command] : ['/bin/bash', '-l'];
  await services.audit.record(actor, {
    action: 'environment.ssh',
    projectId: project.id,
    targetType: 'environment',
    targetId: environment.id,
    details: { command: command.split(' ')[0] || 'shell' },
  });
  const launch = services.sandboxes.launch(sandbox, { binds: runtimeBinds(sandbox.layout, deployed?.appDir), env, command: argv, terminal: request.tty, limits: settings?.limits });
  const warning = services.sandboxes.unconfinedWarning;
  return { script: `${warning ? `printf '%s\\n' ${shellQuote(warning)} >&2\n` : ''}${shellLaunchScript(launch)}`, identity: actor };
}

async function projectFor(services: SessionServices, actor: SshIdentity, projectId: string): Promise<{ project: Project; grant: Grant }> {
  const project = await services.projects.find(projectId);
  const grant = await loadGrant(services, actor.userId, projectId, actor.scope);
  const decision = decideProjectAction(grant, 'project:view');
  if (!project || (!decision.allowed && !decision.missing.startsWith('token scope'))) throw new SshRefused(`Project not found: ${projectId}`);
  if (!decision.allowed) throw new SshRefused(`This certificate's token scope does not include project ${projectId}.`);
  return { project, grant };
}

/** The environment a session is for: the login name's, else `PIER_TARGET`'s. */
async function environmentFor(services: SessionServices, actor: SshIdentity, login: NonNullable<ReturnType<typeof parseLogin>>, target: string): Promise<{ project: Project; grant: Grant; environment: Environment }> {
  const variable = `${services.vendor.runtimeEnvPrefix}TARGET`;
  let projectId: string;
  let environmentName: string;
  if (login.kind === 'environment') {
    [projectId, environmentName] = [login.projectId, login.machineName];
  } else {
    const [first, ...rest] = target.split('/');
    if (!first || rest.length === 0) {
      throw new SshRefused(`Say which environment: ssh <project>-<environment machine name>@<host>, ssh -o SetEnv=${variable}=<project>/<environment> …, or the host aliases written by \`${services.vendor.cliCommand} ssh-cert:load\`.`);
    }
    [projectId, environmentName] = [first, rest.join('/')];
  }
  const { project, grant } = await projectFor(services, actor, projectId);
  const environment = await services.environments.find(project.id, environmentName);
  if (!environment) throw new SshRefused(`Environment not found: ${environmentName}`);
  return { project, grant, environment };
}
