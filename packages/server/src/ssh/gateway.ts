import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { CertificateAuthority } from './authority.js';
import { HOST_CERTIFICATE, signCertificate } from './certificates.js';
import { parsePublicKeyLine } from './public-keys.js';

const SSHD = '/usr/sbin/sshd';
const SFTP_SERVER_CANDIDATES = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server', '/usr/libexec/sftp-server'];
const HOST_CERT_DAYS = 365;

/** The Unix account SSH sessions run as: the one running the gateway unless PIER_SSH_USER says otherwise. */
export function gatewayUser(config: Config): string {
  return config.ssh.user ?? os.userInfo().username;
}

/**
 * Writes everything OpenSSH's sshd needs to act as Pier's gateway: a host key with a host
 * certificate from Pier's CA (clients trust it through one @cert-authority line), the CA as
 * TrustedUserCAKeys, and a wrapper through which sshd asks Pier who may log in
 * (AuthorizedPrincipalsCommand) and what a session may do (ForceCommand).
 */
export function prepareGateway(config: Config, ca: CertificateAuthority, env: NodeJS.ProcessEnv): string {
  const dir = config.ssh.gatewayDir;
  // sshd refuses an AuthorizedPrincipalsCommand under a group- or world-writable directory.
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  if (!fs.existsSync(hostKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pier-gateway', '-f', hostKey]);
  const hostCertificate = signCertificate(
    ca,
    {
      key: parsePublicKeyLine(fs.readFileSync(`${hostKey}.pub`, 'utf8')),
      type: HOST_CERTIFICATE,
      keyId: `pier-gateway-${config.ssh.host}`,
      principals: [...new Set([config.ssh.host, 'localhost', '127.0.0.1'])],
      validAfter: new Date(Date.now() - 300_000),
      validBefore: new Date(Date.now() + HOST_CERT_DAYS * 86_400_000),
      extensions: {},
    },
    'pier-gateway',
  );
  fs.writeFileSync(`${hostKey}-cert.pub`, `${hostCertificate}\n`, { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'user_ca.pub'), `${ca.publicLine}\n`, { mode: 0o644 });

  const wrapper = path.join(dir, 'pier-ssh');
  const serverBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/pier-server.js');
  const passOn = ['PIER_DATA_DIR', 'DATABASE_URL', 'PIER_SECRETS_KEY', 'PIER_VENDOR', 'PIER_PUBLIC_URL', 'PIER_SSH_GATEWAY_DIR', 'PIER_SSH_HOST', 'PIER_SSH_PORT', 'PIER_SSH_USER', 'PATH'];
  const exports = passOn.filter((name) => env[name]).map((name) => `export ${name}=${shellQuote(env[name]!)}`);
  fs.writeFileSync(
    wrapper,
    ['#!/bin/sh', '# Written by pier-server ssh-gateway: sshd calls Pier through this.', ...exports, `exec ${shellQuote(process.execPath)} ${shellQuote(serverBin)} ssh-auth "$@"`, ''].join('\n'),
    { mode: 0o700 },
  );
  fs.chmodSync(wrapper, 0o700);

  const user = gatewayUser(config);
  const sftpServer = SFTP_SERVER_CANDIDATES.find((candidate) => fs.existsSync(candidate));
  const sshdConfig = [
    `Port ${config.ssh.port}`,
    `ListenAddress ${config.ssh.host}`,
    `HostKey ${hostKey}`,
    `HostCertificate ${hostKey}-cert.pub`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `TrustedUserCAKeys ${path.join(dir, 'user_ca.pub')}`,
    `AuthorizedPrincipalsCommand ${wrapper} principals %u %t %k`,
    `AuthorizedPrincipalsCommandUser ${user}`,
    'AuthorizedKeysFile none',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${user}`,
    'ExposeAuthInfo yes',
    `ForceCommand ${wrapper} session`,
    'AcceptEnv PIER_TARGET LANG LC_*',
    'PermitUserEnvironment no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'PermitTunnel no',
    'PrintMotd no',
    'LogLevel VERBOSE',
    ...(sftpServer ? [`Subsystem sftp ${sftpServer}`] : []),
    '',
  ].join('\n');
  const configFile = path.join(dir, 'sshd_config');
  fs.writeFileSync(configFile, sshdConfig, { mode: 0o644 });
  return configFile;
}

/** Runs sshd in the foreground; its log goes to our stderr. */
export function runSshd(configFile: string): ChildProcess {
  if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} not found: install OpenSSH's server (Debian: apt-get install openssh-server).`);
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  execFileSync(SSHD, ['-t', '-f', configFile]);
  return spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
