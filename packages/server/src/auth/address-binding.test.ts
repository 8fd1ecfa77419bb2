import { describe, expect, it } from 'vitest';
import { AddressBinding, parseAllowedIps } from './address-binding.js';

describe('address binding', () => {
  const binding = new AddressBinding(parseAllowedIps(['10.0.0.0/8', '192.0.2.7', '2001:DB8::/32']));

  it('matches IPv4 and IPv6 clients, IPv4 on dual-stack sockets included', () => {
    expect(binding.allows('10.200.3.4')).toBe(true);
    expect(binding.allows('::ffff:10.1.1.1')).toBe(true);
    expect(binding.allows('192.0.2.7')).toBe(true);
    expect(binding.allows('192.0.2.8')).toBe(false);
    expect(binding.allows('2001:db8:1::5')).toBe(true);
    expect(binding.allows('2001:db9::1')).toBe(false);
    expect(binding.allows('127.0.0.1')).toBe(false);
    expect(binding.allows('not an address')).toBe(false);
  });

  it('answers the same when asked again, beyond the decisions it remembers', () => {
    const addresses = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `10.0.${i}.1` : `172.16.${i}.1`));
    for (let round = 0; round < 3; round++) {
      expect(addresses.map((address) => binding.allows(address))).toEqual(addresses.map((_, i) => i % 2 === 0));
    }
  });

  it('normalises what it stores: a bare address is a /32 or /128, and duplicates go', () => {
    expect(parseAllowedIps(['192.0.2.7', '192.0.2.7/32', '::1'])).toEqual(['192.0.2.7/32', '::1/128']);
  });

  it.each(['10.0.0.0/33', '::/129', 'example.com', '10.0.0.0/8/8', '10.0.0.0/-1', '1.2.3', ''])('refuses %j', (value) => {
    expect(() => parseAllowedIps([value])).toThrow(/not an IPv4 or IPv6/);
  });
});
