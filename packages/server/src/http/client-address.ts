import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/**
 * Fastify's `trustProxy` from PIER_TRUST_PROXY. Proxies' addresses are the safe form: only they
 * may add to X-Forwarded-For. A hop count trusts whatever connects directly plus the hops before
 * it (Fastify itself refuses plain numbers for that reason), so it suits only a Pier that nothing
 * but its proxies can reach.
 */
export function trustedProxies(setting: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return setting;
}
