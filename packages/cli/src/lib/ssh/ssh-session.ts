import { spawn } from 'node:child_process';
import type { Context } from '../context.js';
import { ChildExit, CliError } from '../errors.js';
import { readFileIfExists, writePrivateFile } from '../private-files.js';
import { shellWord } from '@pier/wire';
import type { SshCertificate } from './certificate.js';
import { ensureCertificate } from './certifier.js';
import { knownGateway, knownHostsText, type SshGateway } from './gateway.js';
import { sshOptions } from './ssh-config.js';
import { sshFiles, type SshFiles } from './ssh-files.js';

/** What a command needs to run ssh or git against the gateway. */
export interface SshSetup {
  files: SshFiles;
  gateway: SshGateway;
  certificate: SshCertificate;
  /** ssh's options for the gateway (`-p`, `-o HostName=…`, key, certificate, known hosts). */
  options: string[];
  /** The environment for ssh and git: the caller's, plus the switch that skips the renewal hook. */
  env: NodeJS.ProcessEnv;
}

/**
 * Before any SSH-based command: a valid certificate (renewed when missing, expiring or issued
 * to other credentials — the Platform.sh CLI's automatic refresh) and the gateway's
 * known-hosts line.
 */
export async function prepareSsh(ctx: Context): Promise<SshSetup> {
  const files = sshFiles(ctx.home.dir);
  const { certificate } = await ensureCertificate(ctx, files, { onGenerate: () => ctx.io.debug(1, 'Generating SSH certificate...') });
  const gateway = await knownGateway(ctx, files);
  const knownHosts = knownHostsText(gateway);
  if (readFileIfExists(files.knownHosts) !== knownHosts) writePrivateFile(files.knownHosts, knownHosts);
  return {
    files,
    gateway,
    certificate,
    options: sshOptions(files, gateway),
    // ssh run by the CLI needs no renewal: it was just checked (Platform.sh PR #1403).
    env: { ...ctx.env, [`${ctx.profile.envPrefix}SSH_NO_REFRESH`]: '1' },
  };
}

/**
 * Runs a program on the user's terminal and resolves with its exit status. Programs that exit
 * non-zero become a ChildExit with the same status.
 */
export function runProgram(ctx: Context, program: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<void> {
  ctx.io.debug(1, `Running: ${[program, ...args].join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: options.env, cwd: options.cwd ?? ctx.cwd, stdio: 'inherit' });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new CliError('generic', error.code === 'ENOENT' ? `${program} was not found: install it first.` : `${program} failed: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      const status = code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1);
      if (status === 0) resolve();
      else reject(new ChildExit(status));
    });
  });
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/** A `GIT_SSH_COMMAND` that reaches the gateway with the CLI's key and certificate. */
export function gitSshCommand(setup: SshSetup): string {
  return ['ssh', ...setup.options].map(shellWord).join(' ');
}
