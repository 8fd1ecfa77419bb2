import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCertificateAuthority } from './authority.js';
import { signCertificate, USER_CERTIFICATE } from './certificates.js';

/** The encoder writes any extensions in OpenSSH's order; Pier's own certificates only permit a pty. */
const everyPermit = ['permit-X11-forwarding', 'permit-agent-forwarding', 'permit-port-forwarding', 'permit-pty', 'permit-user-rc'];
import { parsePublicKeyLine, PublicKeyError } from './public-keys.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-ssh-'));

function keygen(type: string, bits?: number): string {
  const file = path.join(scratch, `${type}-${bits ?? 0}-${Math.random().toString(36).slice(2)}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', 'test', '-f', file]);
  return file;
}

describe('OpenSSH certificates signed with node:crypto', () => {
  const ca = loadCertificateAuthority(scratch, 'pier-ca');

  it.each([
    ['ed25519', undefined],
    ['ecdsa', 256],
    ['ecdsa', 384],
    ['rsa', 3072],
  ] as const)('signs a %s key so that ssh-keygen -L reads every field', (type, bits) => {
    const keyFile = keygen(type, bits);
    const key = parsePublicKeyLine(fs.readFileSync(`${keyFile}.pub`, 'utf8'));
    const now = Date.now();
    const certificate = signCertificate(
      ca,
      {
        key,
        type: USER_CERTIFICATE,
        keyId: 'user-0001',
        principals: ['user-0001', 'alice'],
        validAfter: new Date(now - 60_000),
        validBefore: new Date(now + 3_600_000),
        extensions: { ...Object.fromEntries(everyPermit.map((e) => [e, ''])), 'api-token-id@pier': 'token-42' },
        serial: 7n,
      },
      'pier user cert',
    );
    fs.writeFileSync(`${keyFile}-cert.pub`, `${certificate}\n`);
    const listing = execFileSync('ssh-keygen', ['-L', '-f', `${keyFile}-cert.pub`], { encoding: 'utf8' });
    expect(listing).toContain(`Type: ${key.certificateType} user certificate`);
    expect(listing).toContain('Key ID: "user-0001"');
    expect(listing).toContain('Serial: 7');
    expect(listing).toMatch(/Principals: \n\s+user-0001\n\s+alice/);
    expect(listing).toContain('Critical Options: (none)');
    for (const extension of [...everyPermit, 'api-token-id@pier']) {
      expect(listing).toContain(extension);
    }
    expect(listing).toMatch(new RegExp(`Signing CA: ED25519 SHA256:\\S+ \\(using ssh-ed25519\\)`));
    fs.writeFileSync(path.join(scratch, 'ca.pub'), `${ca.publicLine}\n`);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', path.join(scratch, 'ca.pub')], { encoding: 'utf8' }).split(' ')[1]!;
    expect(listing).toContain(fingerprint);
  });

  it('refuses short RSA keys, unknown types, mismatched and malformed data', () => {
    expect(() => parsePublicKeyLine(fs.readFileSync(`${keygen('rsa', 2048)}.pub`, 'utf8'))).toThrow(/at least 3072 bits/);
    expect(() => parsePublicKeyLine('ssh-dss AAAAB3NzaC1kc3M= x')).toThrow(PublicKeyError);
    const ed = fs.readFileSync(`${keygen('ed25519')}.pub`, 'utf8').split(' ');
    expect(() => parsePublicKeyLine(`ssh-rsa ${ed[1]}`)).toThrow(/says "ssh-rsa" but its data is "ssh-ed25519"/);
    expect(() => parsePublicKeyLine('ssh-ed25519 !!!')).toThrow(/base64/);
    expect(() => parsePublicKeyLine('garbage')).toThrow(PublicKeyError);
  });

  it('keeps the CA key across restarts, private and 0600', () => {
    const again = loadCertificateAuthority(scratch, 'pier-ca');
    expect(again.publicLine).toBe(ca.publicLine);
    expect(fs.statSync(path.join(scratch, 'ssh/ca_ed25519.pem')).mode & 0o777).toBe(0o600);
  });
});
