import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { shellQuote } from '@pier/wire';
import type { Config } from '../config.js';
import type { VendorProfile } from '../vendor/profile.js';
import { gatewayClientPath } from '../git/hooks.js';
import { PUSHER_VARIABLES, SFTP_SERVERS } from './gateway-protocol.js';

const SSHD = '/usr/sbin/sshd';
const CURL = '/usr/bin/curl';

export interface GatewayFiles {
  dir: string;
  hostKey: string;
  client: string;
  passwd: string;
  sshdConfig: string;
}

export function gatewayFiles(config: Pick<Config, 'ssh'>): GatewayFiles {
  const dir = config.ssh.gatewayDir;
  return {
    dir,
    hostKey: path.join(dir, 'ssh_host_ed25519_key'),
    client: gatewayClientPath(config),
    passwd: path.join(dir, 'passwd'),
    sshdConfig: path.join(dir, 'sshd_config'),
  };
}

/** A host key for the gateway, made once; the server certifies it at every start. */
export function ensureHostKey(files: GatewayFiles): string {
  // sshd refuses an AuthorizedPrincipalsCommand under a group- or world-writable folder.
  fs.mkdirSync(files.dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(files.dir, 0o755);
  if (!fs.existsSync(files.hostKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'gateway', '-f', files.hostKey]);
  return fs.readFileSync(`${files.hostKey}.pub`, 'utf8');
}

/**
 * Writes what sshd needs to act as the gateway: the host certificate, the CA as TrustedUserCAKeys,
 * the client through which sshd and the hooks ask the server everything (a shell script around
 * curl: no Node starts per connection, and it holds no secret), and sshd's configuration.
 */
export function writeGatewayFiles(config: Config, vendor: VendorProfile, files: GatewayFiles, signed: { certificate: string; authority: string }): void {
  if (!fs.existsSync(CURL)) throw new Error(`${CURL} not found: the gateway's client needs curl (Debian: apt-get install curl).`);
  fs.writeFileSync(`${files.hostKey}-cert.pub`, `${signed.certificate}\n`, { mode: 0o644 });
  fs.writeFileSync(path.join(files.dir, 'user_ca.pub'), `${signed.authority}\n`, { mode: 0o644 });
  fs.writeFileSync(files.client, clientScript(config.ssh.socket, `${vendor.runtimeEnvPrefix}TARGET`), { mode: 0o755 });
  fs.chmodSync(files.client, 0o755);
  const sftpServer = SFTP_SERVERS.find((candidate) => fs.existsSync(candidate));
  const sshdConfig = [
    `Port ${config.ssh.port}`,
    `ListenAddress ${config.ssh.host}`,
    `HostKey ${files.hostKey}`,
    `HostCertificate ${files.hostKey}-cert.pub`,
    `PidFile ${path.join(files.dir, 'sshd.pid')}`,
    `TrustedUserCAKeys ${path.join(files.dir, 'user_ca.pub')}`,
    `AuthorizedPrincipalsCommand ${files.client} principals %u %k`,
    'AuthorizedPrincipalsCommandUser root',
    'AuthorizedKeysFile none',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // Every login name is a UID-0 alias whose only possible command is the client below.
    'PermitRootLogin prohibit-password',
    'ExposeAuthInfo yes',
    `ForceCommand ${files.client} session`,
    `AcceptEnv ${vendor.runtimeEnvPrefix}TARGET GIT_PROTOCOL`,
    'PermitUserEnvironment no',
    'PermitUserRC no',
    'DisableForwarding yes',
    'PermitTunnel no',
    'PrintMotd no',
    'PrintLastLog no',
    // Many parallel connections (CI fleets, scripts) must not be dropped before they authenticate.
    'MaxStartups 256:30:512',
    'LoginGraceTime 30',
    'LogLevel VERBOSE',
    ...(sftpServer ? [`Subsystem sftp ${sftpServer}`] : []),
    '',
  ].join('\n');
  fs.writeFileSync(files.sshdConfig, sshdConfig, { mode: 0o644 });
}

/** The client sshd and the hooks run. Everything it learns from sshd goes to the server as data. */
function clientScript(socket: string, targetVariable: string): string {
  // --silent: a refusal's own message (the body) is what the user should read, not curl's.
  const curl = `${CURL} --silent --unix-socket "$socket"`;
  const pusher = Object.entries(PUSHER_VARIABLES)
    .map(([field, variable]) => `--data-urlencode "${field}=\${${variable}-}"`)
    .join(' ');
  return `#!/bin/sh
# Written by pier-server ssh-gateway. sshd and the repositories' hooks run this client: it asks the
# server over its root-only socket for every decision, and holds no key, password or database URL.
socket=${shellQuote(socket)}
unreachable() { echo 'The server does not answer (is pier-server running?); try again in a moment.' >&2; exit 1; }
case "\${1-}" in
principals)
  # %u %k: the login name and the certificate. An empty answer makes sshd deny the login.
  exec ${curl} --fail --data-urlencode "user=\${2-}" --data-urlencode "certificate=\${3-}" http://gateway/principals ;;
session)
  script=$(${curl} --fail-with-body --data-urlencode "user=\${USER-}" --data-urlencode "target=\${${targetVariable}-}" \\
    --data-urlencode "command=\${SSH_ORIGINAL_COMMAND-}" --data-urlencode "client=\${SSH_CLIENT-}" --data-urlencode "tty=\${SSH_TTY-}" \\
    --data-urlencode "term=\${TERM-}" --data-urlencode "auth@\${SSH_USER_AUTH:-/dev/null}" --data-urlencode "pid=$$" http://gateway/session) || {
    [ -n "$script" ] || unreachable
    printf '%s\\n' "$script" >&2
    exit 1
  }
  eval "$script" ;;
hook)
  ${curl} --fail-with-body --data-urlencode "updates@-" ${pusher} \\
    --data-urlencode "quarantine=\${GIT_QUARANTINE_PATH-}" --data-urlencode "objects=\${GIT_OBJECT_DIRECTORY-}" \\
    --data-urlencode "alternates=\${GIT_ALTERNATE_OBJECT_DIRECTORIES-}" "http://gateway/hooks/\${2-}"
  status=$?
  [ "$status" -ne 7 ] || unreachable
  exit "$status" ;;
*)
  echo "usage: $0 principals|session|hook" >&2
  exit 2 ;;
esac
`;
}

/**
 * The passwd file sshd sees: the host's accounts, then one UID-0 alias per login name the host
 * does not already have (see gateway-accounts.ts).
 */
export function passwdWithAliases(hostPasswd: string, names: string[], productName: string): string {
  const taken = new Set(hostPasswd.split('\n').map((line) => line.split(':')[0]));
  const aliases = names.filter((name) => !taken.has(name)).map((name) => `${name}:x:0:0:${productName} SSH gateway:/:/bin/sh`);
  return `${hostPasswd.replace(/\n*$/, '\n')}${aliases.map((line) => `${line}\n`).join('')}`;
}

/**
 * Updates the passwd file sshd has bound over /etc/passwd in place (the bind follows the inode,
 * not the name): new names are appended, so a lookup never sees a shorter file.
 */
export function updatePasswd(file: string, content: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current === content) return;
  if (current && content.startsWith(current)) {
    fs.appendFileSync(file, content.slice(current.length));
    return;
  }
  const handle = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w', 0o644);
  try {
    fs.writeSync(handle, content, 0);
    fs.ftruncateSync(handle, Buffer.byteLength(content));
  } finally {
    fs.closeSync(handle);
  }
}

/**
 * Runs sshd in the foreground in a mount namespace of its own, where the gateway's passwd file
 * is /etc/passwd: the host's own /etc/passwd is never touched. Its log goes to our stderr.
 */
export function runSshd(files: GatewayFiles): ChildProcess {
  if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} not found: install OpenSSH's server (Debian: apt-get install openssh-server).`);
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  execFileSync(SSHD, ['-t', '-f', files.sshdConfig]);
  return spawn(
    'unshare',
    ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$1" /etc/passwd && exec "$2" -D -e -f "$3"', 'sh', files.passwd, SSHD, files.sshdConfig],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
}
