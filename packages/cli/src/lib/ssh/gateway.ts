import { expectData, typedClient } from '../api-client.js';
import type { Context } from '../context.js';
import { readFileIfExists, writePrivateFile } from '../private-files.js';
import type { SshFiles } from './ssh-files.js';

/** Where the SSH gateway listens, whom to log in as, and the CA that signs its host certificate. */
export interface SshGateway {
  host: string;
  port: number;
  user: string;
  authorities: string[];
}

/**
 * `GET /ssh/authority` (public) on the auth server, where `POST /ssh` is too. `<PREFIX>SSH_HOST`
 * overrides the host: the server may listen on an address clients reach by another name.
 */
export async function fetchGateway(ctx: Context, files: SshFiles): Promise<SshGateway> {
  const result = await typedClient(ctx.config.authUrl, ctx.transport).GET('/ssh/authority');
  const body = expectData(result, ctx.loginHelp());
  const gateway: SshGateway = { ...body.gateway, authorities: body.authorities.map((line) => line.trim()).filter(Boolean) };
  writePrivateFile(files.gateway, `${JSON.stringify(gateway)}\n`);
  return withHostOverride(ctx, gateway);
}

/** The gateway saved by the last fetch, else a fresh fetch. */
export async function knownGateway(ctx: Context, files: SshFiles): Promise<SshGateway> {
  const saved = readFileIfExists(files.gateway);
  if (saved) {
    try {
      const parsed = JSON.parse(saved) as SshGateway;
      if (typeof parsed.host === 'string' && typeof parsed.port === 'number' && typeof parsed.user === 'string' && Array.isArray(parsed.authorities)) {
        return withHostOverride(ctx, parsed);
      }
    } catch {
      // fetch it again
    }
  }
  return fetchGateway(ctx, files);
}

function withHostOverride(ctx: Context, gateway: SshGateway): SshGateway {
  return ctx.config.sshHost ? { ...gateway, host: ctx.config.sshHost } : gateway;
}

/** How known_hosts names a host: `[host]:port` unless the port is 22. */
export function knownHostName(gateway: Pick<SshGateway, 'host' | 'port'>): string {
  return gateway.port === 22 ? gateway.host : `[${gateway.host}]:${gateway.port}`;
}

/** The gateway's host certificate is trusted through the CA, not a pinned host key. */
export function knownHostsText(gateway: SshGateway): string {
  return gateway.authorities.map((authority) => `@cert-authority ${knownHostName(gateway)} ${authority}\n`).join('');
}
