import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseCertificate, publicKeyBlob } from './certificate.js';

const hasSshKeygen = (() => {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
})();

/** A certificate signed by ssh-keygen itself, read back by our parser. */
it.runIf(hasSshKeygen).each(['ed25519', 'ecdsa', 'rsa'])('reads an %s certificate as ssh-keygen -L does', (type) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-cert-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca')]);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '3072'] : []), '-N', '', '-f', path.join(dir, 'id')]);
  execFileSync('ssh-keygen', ['-q', '-s', path.join(dir, 'ca'), '-I', 'user-0191', '-n', 'alice,bob', '-V', '20300101000000:20300101010000', '-z', '42', '-O', 'extension:api-token-id@pier=tok-1', path.join(dir, 'id.pub')]);
  const line = fs.readFileSync(path.join(dir, 'id-cert.pub'), 'utf8');
  const certificate = parseCertificate(line);
  expect(certificate.keyType).toBe(line.split(' ')[0]);
  expect(certificate).toMatchObject({ keyId: 'user-0191', principals: ['alice', 'bob'], serial: 42n });
  const listed = execFileSync('ssh-keygen', ['-L', '-f', path.join(dir, 'id-cert.pub')], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  expect(listed).toContain('Valid: from 2030-01-01T00:00:00 to 2030-01-01T01:00:00');
  expect(new Date(certificate.validAfter * 1000).toISOString()).toBe('2030-01-01T00:00:00.000Z');
  expect(new Date(certificate.validBefore * 1000).toISOString()).toBe('2030-01-01T01:00:00.000Z');
  expect(certificate.extensions).toMatchObject({ 'permit-pty': '', 'api-token-id@pier': 'tok-1' });
  expect(certificate.publicKeyBlob).toBe(publicKeyBlob(fs.readFileSync(path.join(dir, 'id.pub'), 'utf8')));
  fs.rmSync(dir, { recursive: true, force: true });
});

it('refuses what is not a certificate', () => {
  expect(() => parseCertificate('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE')).toThrow('not an OpenSSH certificate');
  expect(() => parseCertificate('ssh-ed25519-cert-v01@openssh.com AAAA')).toThrow();
});
