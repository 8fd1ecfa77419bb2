/** Where the SSH gateway listens (`config.ssh`). */
export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * The SSH login user that names an environment, the Platform.sh way: `<project id>-<machine name>`
 * (machine names are DNS- and SSH-safe, and project ids hold no dash, so it splits back).
 */
export function environmentSshUser(projectId: string, machineName: string): string {
  return `${projectId}-${machineName}`;
}

/**
 * The environment's `ssh` link: `ssh://<project>-<machine name>@<host>`, with `:<port>` when the
 * gateway does not listen on 22. Platform.sh clients keep only user and host from it.
 */
export function environmentSshUrl(projectId: string, machineName: string, gateway: SshEndpoint): string {
  return `ssh://${environmentSshUser(projectId, machineName)}@${hostPort(gateway)}`;
}

/**
 * The project's git URL (`repository.url`), the project id as user and repository name as on
 * Platform.sh: `<project>@<host>:<project>.git`, or the `ssh://` form when the port is not 22.
 */
export function projectGitUrl(projectId: string, gateway: SshEndpoint): string {
  if (gateway.port === 22) return `${projectId}@${bracketed(gateway.host)}:${projectId}.git`;
  return `ssh://${projectId}@${hostPort(gateway)}/${projectId}.git`;
}

function hostPort(gateway: SshEndpoint): string {
  const host = bracketed(gateway.host);
  return gateway.port === 22 ? host : `${host}:${gateway.port}`;
}

/** IPv6 literals need brackets in URLs. */
function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
