import fs from 'node:fs';
import type { Config } from '../config.js';
import { createLogger } from '../logging.js';
import { createServices } from '../services.js';
import { loadCertificateAuthority } from './authority.js';
import { prepareGateway, runSshd } from './gateway.js';
import { authorizedPrincipals, postReceive, preReceive, Refused, runSession } from './session-commands.js';

/** `pier-server ssh-gateway`: write sshd's configuration, then run sshd until stopped. */
export async function sshGatewayCommand(config: Config): Promise<number> {
  const ca = loadCertificateAuthority(config.dataDir, 'pier-ca');
  const configFile = prepareGateway(config, ca, process.env);
  const sshd = runSshd(configFile);
  process.stderr.write(`Pier SSH gateway listening on ${config.ssh.host}:${config.ssh.port} (sshd config ${configFile})\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => sshd.kill('SIGTERM'));
  return new Promise((resolve) => sshd.on('exit', (code) => resolve(code ?? 0)));
}

/** `pier-server ssh-auth …`: what sshd and git hooks call through the gateway wrapper. */
export async function sshAuthCommand(config: Config, args: string[]): Promise<number> {
  const services = await createServices(config, createLogger('silent'));
  try {
    const [verb, ...rest] = args;
    if (verb === 'principals') {
      // %u %t %k: refusals print nothing, so sshd denies without detail.
      process.stdout.write(`${await authorizedPrincipals(services, rest[2] ?? '')}\n`);
      return 0;
    }
    if (verb === 'session') return await runSession(services);
    if (verb === 'hook' && rest[0] === 'pre-receive') {
      await preReceive(services, fs.readFileSync(0, 'utf8'));
      return 0;
    }
    if (verb === 'hook' && rest[0] === 'post-receive') {
      for (const message of await postReceive(services, fs.readFileSync(0, 'utf8'))) process.stderr.write(`${message}\n`);
      return 0;
    }
    process.stderr.write(`Unknown ssh-auth command: ${args.join(' ')}\n`);
    return 2;
  } catch (error) {
    if (error instanceof Refused) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`Pier could not handle this SSH request: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await services.close();
  }
}
