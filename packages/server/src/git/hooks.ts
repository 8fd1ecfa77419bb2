import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The gateway's client (written by `pier-server ssh-gateway`): sshd and the repositories' hooks
 * call it, and it asks the running server over the gateway socket. No Node process starts.
 */
export function gatewayClientPath(config: Pick<Config, 'ssh'>): string {
  return path.join(config.ssh.gatewayDir, 'gateway-client');
}

/** A repository hook: pushes arrive only through the gateway, whose client carries them to the server. */
export function hookScript(config: Pick<Config, 'ssh'>, hook: 'pre-receive' | 'post-receive'): string {
  return `#!/bin/sh\nexec '${gatewayClientPath(config).replace(/'/g, `'\\''`)}' hook ${hook}\n`;
}
