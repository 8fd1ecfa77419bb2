/** A real `pier-server ssh-gateway` (OpenSSH sshd) and clients configured like a user's machine. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, serverBin, type PierServer } from './pier-server.js';
import { apiAs } from './api-client.js';
import type { TestActor } from './actors.js';
import { runProgram } from './programs.js';

/** sshd needs root, and the gateway needs openssh-server; sessions run in bubblewrap. */
export const canRunGateway = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/sshd') && fs.existsSync('/usr/bin/bwrap');

export interface Gateway {
  port: number;
  dir: string;
  env: Record<string, string>;
  knownHosts: string;
  /** The login name for git and `PIER_TARGET` sessions. */
  user: string;
  /** Resolves once sshd knows the login name (environments' names follow the server within moments). */
  waitForLogin(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The port and root-owned folder a gateway will use; pass `env` to the server too. */
export async function gatewaySettings(): Promise<Record<string, string>> {
  // sshd refuses an AuthorizedPrincipalsCommand under a world-writable folder such as /tmp.
  return { PIER_SSH_PORT: String(await freePort()), PIER_SSH_GATEWAY_DIR: `/var/lib/pier-test-gateway-${randomBytes(4).toString('hex')}` };
}

export async function startGateway(server: PierServer): Promise<Gateway> {
  const env = { PIER_SSH_PORT: server.env.PIER_SSH_PORT!, PIER_SSH_GATEWAY_DIR: server.env.PIER_SSH_GATEWAY_DIR! };
  // sshd logs every connection: into a file, since a pipe the test process cannot drain while it
  // waits on a synchronous ssh would fill up and stall sshd.
  const logFile = path.join(os.tmpdir(), `pier-gateway-${randomBytes(4).toString('hex')}.log`);
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [serverBin, 'ssh-gateway'], { env: { ...server.env, ...env }, stdio: ['ignore', 'ignore', logFd] });
  fs.closeSync(logFd);
  const log = () => fs.readFileSync(logFile, 'utf8');
  const port = Number(env.PIER_SSH_PORT);
  await waitForSshd(port, child, log);
  const authority = (await apiAs(server).GET('/ssh/authority')).data!;
  const passwd = path.join(env.PIER_SSH_GATEWAY_DIR, 'passwd');
  return {
    port,
    dir: env.PIER_SSH_GATEWAY_DIR,
    env,
    user: authority.gateway.user,
    knownHosts: `@cert-authority [127.0.0.1]:${port} ${authority.authorities[0]!.trim()}\n`,
    async waitForLogin(name) {
      const deadline = Date.now() + 10_000;
      while (!fs.readFileSync(passwd, 'utf8').split('\n').some((line) => line.startsWith(`${name}:`))) {
        if (Date.now() > deadline) throw new Error(`the gateway never learnt the login ${name}:\n${log()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      fs.rmSync(env.PIER_SSH_GATEWAY_DIR, { recursive: true, force: true });
      fs.rmSync(logFile, { force: true });
    },
  };
}

export interface SshClient {
  config: string;
  dir: string;
  git(args: string[], cwd?: string): Promise<{ status: number; output: string }>;
  ssh(host: string, command: string): Promise<{ status: number; output: string }>;
}

/**
 * A key pair, a certificate from POST /ssh (or a given one), known_hosts trusting the CA, and an
 * ssh config: `gateway` for git, `<environment>.pier` hosts that set PIER_TARGET.
 */
export async function sshClient(
  server: PierServer,
  gateway: Gateway,
  who: TestActor,
  projectId: string,
  certificate?: (publicKey: string) => string,
): Promise<SshClient> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-ssh-client-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
  const publicKey = fs.readFileSync(path.join(dir, 'id.pub'), 'utf8');
  const cert = certificate ? certificate(publicKey) : (await apiAs(server, who.headers).POST('/ssh', { body: { key: publicKey } })).data!.certificate;
  fs.writeFileSync(path.join(dir, 'id-cert.pub'), `${cert}\n`);
  fs.writeFileSync(path.join(dir, 'known_hosts'), gateway.knownHosts);
  const common = [
    `  HostName 127.0.0.1`,
    `  Port ${gateway.port}`,
    `  User ${gateway.user}`,
    `  IdentityFile ${dir}/id`,
    `  CertificateFile ${dir}/id-cert.pub`,
    `  IdentitiesOnly yes`,
    `  UserKnownHostsFile ${dir}/known_hosts`,
    `  StrictHostKeyChecking yes`,
    `  BatchMode yes`,
  ];
  const config = path.join(dir, 'config');
  fs.writeFileSync(config, [`Host gateway`, ...common, `Host *.pier`, ...common, `  SetEnv PIER_TARGET=${projectId}/main`, ''].join('\n'));
  const run = (program: string, args: string[], cwd = dir) => runProgram(program, args, { cwd, env: { ...process.env, GIT_SSH_COMMAND: `ssh -F ${config}` } });
  return {
    config,
    dir,
    git: (args, cwd) => run('git', ['-c', `user.email=${who.email}`, '-c', 'user.name=CI', ...args], cwd),
    ssh: (host, command) => run('ssh', ['-F', config, host, command]),
  };
}

/**
 * Waits for sshd's own word that it listens, not merely for an open port: an open port may be
 * another program's, and an sshd that could not bind exits, which must fail here with its reason.
 */
async function waitForSshd(port: number, gateway: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (gateway.exitCode !== null || gateway.signalCode !== null) throw new Error(`the SSH gateway exited before listening on ${port}:\n${log()}`);
    if (log().includes(`Server listening on 127.0.0.1 port ${port}.`)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port}:\n${log()}`);
}

/** Clones the project through the gateway, commits `files` and pushes them to `branch`, as a user would. */
export async function pushFiles(client: SshClient, projectId: string, branch: string, files: Record<string, string>): Promise<string> {
  const checkout = fs.mkdtempSync(path.join(client.dir, 'push-'));
  const must = (result: { status: number; output: string }) => {
    if (result.status !== 0) throw new Error(result.output);
    return result.output.trim();
  };
  must(await client.git(['clone', '--quiet', `gateway:${projectId}.git`, checkout]));
  if (must(await client.git(['ls-remote', '--heads', 'origin', branch], checkout))) must(await client.git(['checkout', '--quiet', branch], checkout));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
    fs.writeFileSync(path.join(checkout, file), content);
  }
  must(await client.git(['add', '.'], checkout));
  must(await client.git(['commit', '--quiet', '-m', 'pushed by a test'], checkout));
  must(await client.git(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], checkout));
  return must(await client.git(['rev-parse', 'HEAD'], checkout));
}
