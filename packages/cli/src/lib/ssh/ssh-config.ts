import type { Context } from '../context.js';
import type { SshGateway } from './gateway.js';
import type { SshFiles } from './ssh-files.js';

/** One environment an alias points at. */
export interface EnvironmentTarget {
  projectId: string;
  /** The id the server knows it by (a branch name, slashes and all). */
  environmentId: string;
  /** The host alias: `<label>.<project>.<command>`, or `<project>.<command>` for the default environment. */
  alias: string;
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Host aliases for a project's environments. A branch name that is not a valid host label
 * (`feature/login`, `Hotfix`) is reached by its machine name, which the gateway also accepts.
 */
export function environmentTargets(
  ctx: Context,
  projectId: string,
  defaultBranch: string,
  environments: ReadonlyArray<{ id: string; machine_name: string }>,
): EnvironmentTarget[] {
  const domain = `${projectId}.${ctx.profile.command}`;
  const targets: EnvironmentTarget[] = [];
  for (const environment of environments) {
    const label = HOST_LABEL.test(environment.id) ? environment.id : environment.machine_name.toLowerCase();
    if (!HOST_LABEL.test(label)) continue;
    targets.push({ projectId, environmentId: environment.id, alias: `${label}.${domain}` });
    if (environment.id === defaultBranch) targets.push({ projectId, environmentId: environment.id, alias: domain });
  }
  return targets;
}

/** The names the include file answers to: the git alias and everything under it. */
export function aliasPatterns(ctx: Context): string[] {
  return [ctx.profile.command, `*.${ctx.profile.command}`];
}

/** The variable the gateway reads (sshd `AcceptEnv`) to know which environment a session is for. */
export function targetVariable(ctx: Context): string {
  return `${ctx.profile.runtimeEnvPrefix}TARGET`;
}

/**
 * `<CLI home>/ssh/config`, included from `~/.ssh/config` for the alias hosts only:
 *
 * - `pier` is the gateway, for git: `git clone pier:<project>.git`;
 * - `<environment>.<project>.pier` (and `<project>.pier` for the default environment) add
 *   `SetEnv PIER_TARGET=<project>/<environment>`, for ssh, rsync and scp.
 *
 * ssh keeps the first value it reads for an option, so the per-environment blocks come first
 * and the gateway's settings, shared by all aliases, last.
 */
export function includeConfigText(ctx: Context, files: SshFiles, gateway: SshGateway, targets: EnvironmentTarget[]): string {
  const patterns = aliasPatterns(ctx);
  const lines = [
    `# Written by \`${ctx.profile.command} ssh-cert:load\`, which rewrites it: do not edit.`,
    `# git: ${ctx.profile.command}:<project>.git; ssh, rsync, scp: <environment>.<project>.${ctx.profile.command}`,
    '',
    '# Renew the certificate shortly before it expires (the script checks the clock, and only then',
    '# runs the CLI).',
    `Match originalhost "${patterns.join(',')}" exec "'${files.refreshScript.replace(/%/g, '%%')}'"`,
    '# Cancel the Match, so that what follows applies whether or not the renewal ran.',
    `Host ${patterns.join(' ')}`,
    '',
  ];
  const variable = targetVariable(ctx);
  for (const target of targets) {
    lines.push(`Host ${target.alias}`, `  SetEnv ${variable}=${target.projectId}/${target.environmentId}`);
  }
  if (targets.length > 0) lines.push('');
  lines.push(
    `Host ${patterns.join(' ')}`,
    `  HostName ${gateway.host}`,
    `  Port ${gateway.port}`,
    `  User ${gateway.user}`,
    `  IdentityFile ${configPath(files.key)}`,
    `  CertificateFile ${configPath(files.certificate)}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${configPath(files.knownHosts)}`,
    '  StrictHostKeyChecking yes',
    'Host *',
    '',
  );
  return lines.join('\n');
}

/**
 * The same settings as command-line options, for ssh and git run by the CLI itself: they do not
 * depend on `~/.ssh/config` or on the include file being there, and they win over both.
 */
export function sshOptions(files: SshFiles, gateway: SshGateway): string[] {
  return [
    '-p',
    String(gateway.port),
    '-o',
    `HostName=${gateway.host}`,
    '-o',
    `User=${gateway.user}`,
    '-o',
    `IdentityFile=${files.key}`,
    '-o',
    `CertificateFile=${files.certificate}`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${files.knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
  ];
}

/** Paths in ssh_config: `%` is a token there, and a path with spaces needs quotes. */
export function configPath(file: string): string {
  const escaped = file.replace(/%/g, '%%');
  return /\s/.test(escaped) ? `"${escaped}"` : escaped;
}

/** The managed block in `~/.ssh/config` (the Platform.sh CLI's markers and layout). */
export function userConfigBlock(ctx: Context, files: SshFiles): { begin: string; end: string; text: string } {
  const begin = `# BEGIN: ${ctx.profile.productName} certificate configuration`;
  const end = `# END: ${ctx.profile.productName} certificate configuration`;
  const text = [begin, `Host ${aliasPatterns(ctx).join(' ')}`, `  Include ${configPath(files.config)}`, 'Host *', end].join('\n');
  return { begin, end, text };
}

/**
 * `content` with the block in place of an existing one, or first in the file: ssh keeps the
 * first value it reads, so a `Host *` block above ours could otherwise set the User or Port.
 */
export function withUserConfigBlock(content: string, block: { begin: string; end: string; text: string }): string {
  const start = content.indexOf(block.begin);
  const stop = start === -1 ? -1 : content.indexOf(block.end, start);
  if (start !== -1 && stop !== -1) return content.slice(0, start) + block.text + content.slice(stop + block.end.length);
  return content.trim() === '' ? `${block.text}\n` : `${block.text}\n\n${content}`;
}
