import type { Config } from '../config.js';
import type { Services } from '../services.js';
import type { VendorProfile } from '../vendor/profile.js';
import { environmentSshUser } from '../environments/ssh-url.js';

/**
 * The names the gateway answers to. sshd only accepts users the host knows, so the gateway shows
 * sshd a passwd file with one entry per name, all of them UID 0: the forced command (the gateway's
 * client) runs as root to reach the root-only socket, and user code never runs as any of them.
 *
 * - the gateway user (`PIER_SSH_USER`, default the CLI's name): git and `PIER_TARGET` sessions;
 * - `<project>`: git, as Platform.sh's `<project>@git.<region>…:<project>.git`;
 * - `<project>-<environment machine name>` (optionally `--<app>`): a session in that environment,
 *   as Platform.sh's environment `ssh` links.
 */
export function gatewayLoginUser(config: Pick<Config, 'ssh'>, vendor: Pick<VendorProfile, 'cliCommand'>): string {
  return config.ssh.user ?? vendor.cliCommand;
}

export type Login =
  | { kind: 'gateway' }
  | { kind: 'project'; projectId: string }
  | { kind: 'environment'; projectId: string; machineName: string };

const PROJECT = /^[a-z0-9]+$/;

/** What a login name means; undefined for a name the gateway does not serve. */
export function parseLogin(name: string, gatewayUser: string): Login | undefined {
  if (name === gatewayUser) return { kind: 'gateway' };
  const withoutApp = name.replace(/--[a-z0-9-]+$/, '');
  const dash = withoutApp.indexOf('-');
  if (dash === -1) return PROJECT.test(name) ? { kind: 'project', projectId: name } : undefined;
  const [projectId, machineName] = [withoutApp.slice(0, dash), withoutApp.slice(dash + 1)];
  return PROJECT.test(projectId) && /^[a-z0-9-]+$/.test(machineName) ? { kind: 'environment', projectId, machineName } : undefined;
}

/** What the login checks read: the gateway's own name, projects and environments. */
type AccountServices = Pick<Services, 'config' | 'vendor' | 'projects' | 'environments'>;

/** Whether a login name stands for something that exists now (a project, an environment). */
export async function loginExists(services: AccountServices, login: Login): Promise<boolean> {
  if (login.kind === 'gateway') return true;
  if (login.kind === 'project') return (await services.projects.find(login.projectId)) !== undefined;
  return services.environments.existsByMachineName(login.projectId, login.machineName);
}

/** Every name the gateway's passwd file must hold right now. */
export async function gatewayAccountNames(services: AccountServices): Promise<string[]> {
  const environments = await services.environments.listMachineNames();
  const projects = [...new Set(environments.map((e) => e.project_id))];
  return [gatewayLoginUser(services.config, services.vendor), ...projects, ...environments.map((e) => environmentSshUser(e.project_id, e.machine_name))];
}
