import net from 'node:net';
import { Type } from 'typebox';
import { ApiError } from '../http/errors.js';

/**
 * The addresses a credential may be used from (Cloudflare's `request_ip.in`): IPv4 and IPv6
 * CIDRs, matched with node:net's BlockList. The client address is the one Fastify derives under
 * PIER_TRUST_PROXY, so a proxy's own address never stands in for its clients.
 */
export const AllowedIpsSchema = Type.Array(Type.String({ minLength: 2, maxLength: 64 }), {
  minItems: 1,
  maxItems: 50,
  description: 'IPv4/IPv6 addresses or CIDRs (10.0.0.0/8, 2001:db8::/32) the token may be used from; absent = anywhere.',
});

/** Decisions remembered per binding: a client asks from one or two addresses. */
const MAX_DECIDED = 8;

export class AddressBinding {
  private readonly list = new net.BlockList();
  /** BlockList.check builds a native SocketAddress per call (~3 µs): every request asks. */
  private readonly decided = new Map<string, boolean>();

  constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const parsed = parseCidr(cidr);
      if (!parsed) throw new Error(`Not a CIDR: ${cidr}`);
      this.list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  allows(address: string): boolean {
    let allowed = this.decided.get(address);
    if (allowed === undefined) {
      allowed = this.check(address);
      if (this.decided.size >= MAX_DECIDED) this.decided.clear();
      this.decided.set(address, allowed);
    }
    return allowed;
  }

  private check(address: string): boolean {
    const plain = unmapped(address);
    const family = net.isIPv4(plain) ? 'ipv4' : net.isIPv6(plain) ? 'ipv6' : undefined;
    return family !== undefined && this.list.check(plain, family);
  }
}

/** Checks and normalises CIDRs from a request: a bare address means that one address. */
export function parseAllowedIps(values: readonly string[], field = 'allowed_ips'): string[] {
  const normalised = values.map((value) => {
    const parsed = parseCidr(value.trim());
    if (!parsed) throw new ApiError('invalid_request', `"${value.slice(0, 64)}" is not an IPv4 or IPv6 address or CIDR.`, { field });
    return `${parsed.address}/${parsed.prefix}`;
  });
  return [...new Set(normalised)];
}

function parseCidr(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = value.split('/');
  if (rest.length > 0) return undefined;
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return undefined;
  const max = family === 'ipv4' ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { address: address.toLowerCase(), prefix, family };
}

/** `::ffff:10.1.2.3` (an IPv4 client on a dual-stack socket) is 10.1.2.3. */
function unmapped(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}
