import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TruncatedWireData, WireReader, WireWriter } from './ssh-wire.js';

/** ssh-keygen -t ed25519 output: the blob is string "ssh-ed25519", string <32-byte key>. */
const ED25519_LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host';

describe('the SSH wire encoding', () => {
  it('reads an OpenSSH public key blob', () => {
    const reader = new WireReader(Buffer.from(ED25519_LINE.split(' ')[1]!, 'base64'));
    expect(reader.text()).toBe('ssh-ed25519');
    expect(reader.string()).toHaveLength(32);
    expect(reader.done).toBe(true);
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.nat({ max: 2 ** 32 - 1 }), (bytes, text, big, small) => {
        const encoded = new WireWriter().string(Buffer.from(bytes)).string(text).uint64(big).uint32(small).raw(Buffer.from([7])).toBuffer();
        const reader = new WireReader(encoded);
        expect([...reader.string()]).toEqual([...bytes]);
        expect(reader.text()).toBe(text);
        expect(reader.uint64()).toBe(big);
        expect(reader.uint32()).toBe(small);
        expect([...reader.raw(1)]).toEqual([7]);
        expect(reader.done).toBe(true);
        expect(reader.position).toBe(encoded.length);
      }),
    );
  });

  it('refuses to read past the end of every truncation', () => {
    const encoded = new WireWriter().string('ssh-ed25519').uint64(1n).toBuffer();
    for (let length = 0; length < encoded.length; length++) {
      const reader = new WireReader(encoded.subarray(0, length));
      expect(() => {
        reader.text();
        reader.uint64();
      }).toThrow(TruncatedWireData);
    }
  });
});
