/**
 * bench/ssh-gateway: the SSH gateway and the sandbox against plain OpenSSH on the same machine, in
 * the same run (interleaved, medians):
 *
 *  1. `ssh <environment> true` through the gateway vs a plain sshd login with an authorized key
 *     (target ≤ 2×);
 *  2. `git clone` of a 1,000-commit repository through the gateway vs plain sshd (target ≤ 1.5×);
 *  3. 50 SSH commands at once through the gateway (target: 0 refused);
 *  4. a hook's start in the sandbox vs the same command unconfined (target: ≤ 50 ms added).
 *
 *   npm run build && npx tsx bench/ssh-gateway/run.ts [--runs 30] [--record]
 *
 * Needs root, openssh-server and bubblewrap (as the gateway does).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bubblewrapLaunch, runCommand, unconfinedLaunch, type SandboxSpec } from '../../packages/runtime/dist/index.js';
import { machineLine, recordSection } from '../docs-section.js';
import { ADMIN_EMAIL, freePort, startPierServer } from '../../test-support/pier-server.js';
import { actor, createProjectAs } from '../../test-support/actors.js';
import { request } from '../../test-support/http.js';
import { gatewaySettings, sshClient, startGateway } from '../../test-support/ssh-gateway.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, record: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-bench-gateway-'));

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
const timed = (command: string, args: string[], cwd?: string): number => {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return performance.now() - started;
};

/**
 * A plain OpenSSH server: a host key and a login with an authorized key, nothing else of Pier.
 * The login (`bench`, UID 0, `/bin/sh`, home `/`) is added the way the gateway adds its names, so
 * neither side pays for a login shell's rc files (root's bash reads ~/.bashrc under sshd).
 */
async function startPlainSshd(clientPublicKey: string): Promise<{ port: number; stop(): void }> {
  const dir = path.join(scratch, 'plain');
  fs.mkdirSync(dir, { mode: 0o755 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host')]);
  fs.writeFileSync(path.join(dir, 'authorized_keys'), clientPublicKey, { mode: 0o600 });
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'sshd_config'),
    [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host`, `PidFile ${dir}/sshd.pid`, `AuthorizedKeysFile ${dir}/authorized_keys`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no', 'PermitRootLogin prohibit-password', 'MaxStartups 256:30:512', 'LogLevel QUIET', ''].join('\n'),
  );
  fs.mkdirSync('/run/sshd', { recursive: true });
  fs.writeFileSync(path.join(dir, 'passwd'), `${fs.readFileSync('/etc/passwd', 'utf8').trimEnd()}\nbench:x:0:0:bench:/:/bin/sh\n`);
  const sshd = spawn(
    'unshare',
    ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$1" /etc/passwd && exec /usr/sbin/sshd -D -f "$2"', 'sh', path.join(dir, 'passwd'), path.join(dir, 'sshd_config')],
    { stdio: 'ignore' },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { port, stop: () => sshd.kill('SIGTERM') };
}

/** A bare repository of `count` commits, made with fast-import in one go. */
function repositoryOf(count: number): string {
  const repo = path.join(scratch, 'history.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo]);
  const commits: string[] = [];
  for (let i = 1; i <= count; i++) {
    const content = `line ${i}\n`.repeat(20);
    commits.push(
      `commit refs/heads/main\nmark :${i}\ncommitter Bench <bench@example.com> ${1_700_000_000 + i} +0000\ndata ${`commit ${i}\n`.length}\ncommit ${i}\n${i > 1 ? `from :${i - 1}\n` : ''}M 644 inline file-${i % 50}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
  }
  execFileSync('git', ['--git-dir', repo, 'fast-import', '--quiet'], { input: commits.join('') });
  return repo;
}

async function sandboxStart(): Promise<{ confined: number; unconfined: number }> {
  const root = path.join(scratch, 'sandbox');
  fs.mkdirSync(path.join(root, 'app'), { recursive: true });
  fs.writeFileSync(path.join(root, 'passwd'), 'web:x:1900999999:1900999999::/app:/bin/bash\n');
  fs.writeFileSync(path.join(root, 'group'), 'web:x:1900999999:\n');
  const spec: SandboxSpec = {
    account: { uid: 1_900_999_999, gid: 1_900_999_999 },
    identity: { passwd: path.join(root, 'passwd'), group: path.join(root, 'group') },
    hostname: 'bench',
    binds: [{ source: path.join(root, 'app'), target: '/app', writable: false }],
    cwd: '/app',
    env: { PATH: '/usr/bin:/bin', HOME: '/app' },
    network: 'host',
    limits: { memoryMb: 1024, processes: 256, cpuSeconds: 60, fileSizeMb: 64 },
    command: ['/bin/bash', '-c', 'true'],
  };
  const once = async (confined: boolean) => {
    const started = performance.now();
    const outcome = await runCommand({ launch: confined ? bubblewrapLaunch(spec) : unconfinedLaunch(spec), onLine: () => undefined });
    if (outcome.exitCode !== 0) throw new Error('the hook failed');
    return performance.now() - started;
  };
  const confined: number[] = [];
  const unconfined: number[] = [];
  for (let i = 0; i < 5; i++) await once(i % 2 === 0);
  for (let i = 0; i < runs; i++) {
    confined.push(await once(true));
    unconfined.push(await once(false));
  }
  return { confined: median(confined), unconfined: median(unconfined) };
}

const server = await startPierServer({ env: { ...(await gatewaySettings()), PIER_LOG_LEVEL: 'warn' } });
const gateway = await startGateway(server);
try {
  const admin = await actor(server, ADMIN_EMAIL, { existing: true });
  const projectId = await createProjectAs(server, admin, 'Bench');
  const client = await sshClient(server, gateway, admin, projectId);
  const main = (await request<{ machine_name: string }>(`${server.url}/projects/${projectId}/environments/main`, { headers: admin.headers })).body;
  const login = `${projectId}-${main.machine_name}`;
  await gateway.waitForLogin(login);
  const plain = await startPlainSshd(fs.readFileSync(path.join(client.dir, 'id.pub'), 'utf8'));
  // The same client settings as the gateway's (-F: no system ssh_config, whose GSSAPI probing would slow the baseline).
  const plainSsh = ['-F', '/dev/null', '-p', String(plain.port), '-i', path.join(client.dir, 'id'), '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes'];

  // 1. A command's round trip.
  const viaGateway: number[] = [];
  const viaPlain: number[] = [];
  for (let i = 0; i < 3; i++) {
    timed('ssh', ['-F', client.config, `${login}@gateway`, 'true']);
    timed('ssh', [...plainSsh, 'bench@127.0.0.1', 'true']);
  }
  for (let i = 0; i < runs; i++) {
    viaGateway.push(timed('ssh', ['-F', client.config, `${login}@gateway`, 'true']));
    viaPlain.push(timed('ssh', [...plainSsh, 'bench@127.0.0.1', 'true']));
  }

  // 2. A clone of 1,000 commits: pushed through the gateway, served by each.
  const history = repositoryOf(1000);
  execFileSync('git', ['--git-dir', history, 'push', '--quiet', '--force', `gateway:${projectId}.git`, 'main:main'], { env: { ...process.env, GIT_SSH_COMMAND: `ssh -F ${client.config}` } });
  const cloneGateway: number[] = [];
  const clonePlain: number[] = [];
  const cloneRuns = Math.max(3, Math.floor(runs / 5));
  for (let i = 0; i < cloneRuns; i++) {
    const into = fs.mkdtempSync(path.join(scratch, 'clone-'));
    cloneGateway.push(timed('git', ['-c', `core.sshCommand=ssh -F ${client.config}`, 'clone', '--quiet', `gateway:${projectId}.git`, 'a'], into));
    clonePlain.push(timed('git', ['-c', `core.sshCommand=ssh ${plainSsh.join(' ')}`, 'clone', '--quiet', `bench@127.0.0.1:${history}`, 'b'], into));
    fs.rmSync(into, { recursive: true, force: true });
  }

  // 3. Fifty at once.
  const parallel = await Promise.all(
    Array.from({ length: 50 }, () => new Promise<number>((resolve) => spawn('ssh', ['-F', client.config, `${login}@gateway`, 'true'], { stdio: 'ignore' }).on('exit', (code) => resolve(code ?? 1)))),
  );
  const refused = parallel.filter((code) => code !== 0).length;

  // 4. A hook's start.
  const hook = await sandboxStart();
  plain.stop();

  const ssh = { gateway: median(viaGateway), plain: median(viaPlain) };
  const clone = { gateway: median(cloneGateway), plain: median(clonePlain) };
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const lines = [
    `| measurement | through Pier | baseline | ratio or difference | target |`,
    `|---|---:|---:|---:|---|`,
    `| \`ssh <environment> true\` (median of ${runs}) vs plain sshd with an authorized key | ${ssh.gateway.toFixed(0)} ms | ${ssh.plain.toFixed(0)} ms | ${(ssh.gateway / ssh.plain).toFixed(2)}× | ≤ 2× ${verdict(ssh.gateway / ssh.plain <= 2)} |`,
    `| \`git clone\` of 1,000 commits (median of ${cloneRuns}) vs plain sshd | ${clone.gateway.toFixed(0)} ms | ${clone.plain.toFixed(0)} ms | ${(clone.gateway / clone.plain).toFixed(2)}× | ≤ 1.5× ${verdict(clone.gateway / clone.plain <= 1.5)} |`,
    `| 50 parallel \`ssh <environment> true\` | ${50 - refused} ok | — | ${refused} refused | 0 ${verdict(refused === 0)} |`,
    `| a hook's start: \`true\` in the sandbox vs unconfined (median of ${runs}) | ${hook.confined.toFixed(1)} ms | ${hook.unconfined.toFixed(1)} ms | +${(hook.confined - hook.unconfined).toFixed(1)} ms | ≤ +50 ms ${verdict(hook.confined - hook.unconfined <= 50)} |`,
  ];
  console.log(lines.join('\n'));
  if (values.record) {
    recordSection('## SSH gateway and sandbox (bench/ssh-gateway)', [
      'Run with `npm run build && npx tsx bench/ssh-gateway/run.ts --record` (root, openssh-server, bubblewrap). The gateway and a plain `sshd` (root with an authorized key, no Pier) run side by side on loopback; measurements are interleaved. A gateway login asks the server twice over its socket (principals, session) through a curl client and starts the session in bubblewrap as the environment\'s account.',
      '',
      machineLine(),
      '',
      ...lines,
    ]);
  }
} finally {
  await gateway.stop();
  await server.stop();
}
