import fs from 'node:fs';
import http from 'node:http';
import type { Config } from '../config.js';
import { vendorProfile } from '../vendor/profile.js';
import { gatewayLoginUser } from './gateway-accounts.js';
import { ensureHostKey, gatewayFiles, passwdWithAliases, runSshd, updatePasswd, writeGatewayFiles } from './gateway.js';

const STARTUP_WAIT_MS = 30_000;

/**
 * `pier-server ssh-gateway`: run OpenSSH's sshd as the gateway. It reads no database and no
 * secret — the running server certifies its host key and answers every question over the
 * root-only socket — and keeps sshd's login names in step with the environments.
 */
export async function sshGatewayCommand(config: Config): Promise<number> {
  const vendor = vendorProfile(config.vendor);
  const files = gatewayFiles(config);
  const ask = (method: string, path: string, body?: Record<string, string>) => askServer(config.ssh.socket, method, path, body);
  const loginUser = gatewayLoginUser(config, vendor);
  const hostAccount = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith(`${loginUser}:`));
  if (hostAccount && hostAccount.split(':')[2] !== '0') {
    throw new Error(`${loginUser} is an account of this host: set PIER_SSH_USER to a name the host does not use.`);
  }

  const publicKey = ensureHostKey(files);
  const signed = JSON.parse((await waitForServer(() => ask('POST', '/host-certificate', { key: publicKey }))).body) as { certificate: string; authority: string };
  writeGatewayFiles(config, vendor, files, signed);
  let accounts = await ask('GET', '/accounts');
  updatePasswd(files.passwd, passwdWithAliases(fs.readFileSync('/etc/passwd', 'utf8'), lines(accounts.body), vendor.productName));

  const sshd = runSshd(files);
  let stopping = false;
  void (async () => {
    // Long poll: the server answers when the environments change, or every 25 s.
    while (!stopping) {
      try {
        accounts = await ask('GET', `/accounts?known=${encodeURIComponent(accounts.etag ?? '')}`);
        updatePasswd(files.passwd, passwdWithAliases(fs.readFileSync('/etc/passwd', 'utf8'), lines(accounts.body), vendor.productName));
      } catch (error) {
        if (!stopping) process.stderr.write(`Could not refresh the gateway's login names: ${error instanceof Error ? error.message : String(error)}\n`);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  })();
  process.stderr.write(`SSH gateway listening on ${config.ssh.host}:${config.ssh.port} (sshd config ${files.sshdConfig}); log in as ${loginUser}, <project> or <project>-<environment>\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      sshd.kill('SIGTERM');
    });
  }
  return new Promise((resolve) =>
    sshd.on('exit', (code) => {
      stopping = true;
      resolve(code ?? 0);
    }),
  );
}

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

async function waitForServer<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + STARTUP_WAIT_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline || !(error instanceof Unreachable)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

class Unreachable extends Error {}

/** One request over the gateway socket (HTTP on a Unix socket). */
function askServer(socket: string, method: string, path: string, body?: Record<string, string>): Promise<{ body: string; etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    const payload = body ? new URLSearchParams(body).toString() : undefined;
    const request = http.request(
      { socketPath: socket, method, path, headers: payload ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } : {} },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if ((response.statusCode ?? 500) >= 400) reject(new Error(`${method} ${path}: ${response.statusCode} ${text.trim()}`));
          else resolve({ body: text, etag: response.headers.etag });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(['ENOENT', 'ECONNREFUSED'].includes(error.code ?? '') ? new Unreachable(`pier-server does not answer on ${socket}: start it first (same PIER_DATA_DIR or PIER_SSH_SOCKET).`) : error),
    );
    request.end(payload);
  });
}
