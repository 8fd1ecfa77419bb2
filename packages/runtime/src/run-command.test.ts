/**
 * The local driver with real bubblewrap: what code inside sees, what it may not do, and how it
 * is stopped. Needs root and bubblewrap (CI installs it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { bubblewrapLaunch, unconfinedLaunch } from './launch.js';
import { probeSandbox } from './probe.js';
import { runCommand } from './run-command.js';
import { shellLaunchScript } from './shell-script.js';
import type { SandboxSpec } from './sandbox-spec.js';

const canSandbox = process.getuid?.() === 0 && fs.existsSync('/usr/bin/bwrap');
const UID = 1_900_123_401;

// CI runs as root with bubblewrap (test-support/global-setup.ts makes sure of it).
describe.runIf(canSandbox)('runCommand in the bubblewrap sandbox', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-sandbox-test-'));
  const app = path.join(root, 'app');
  const data = path.join(root, 'data');
  const secret = path.join(root, 'instance-secret');

  const spec = (command: string, overrides: Partial<SandboxSpec> = {}): SandboxSpec => ({
    account: { uid: UID, gid: UID },
    identity: { passwd: path.join(root, 'passwd'), group: path.join(root, 'group') },
    hostname: 'main-abc',
    binds: [
      { source: app, target: '/app', writable: false },
      { source: data, target: '/data', writable: true },
    ],
    cwd: '/app',
    env: { PATH: '/usr/bin:/bin', HOME: '/app', GREETING: 'hi there' },
    network: 'host',
    limits: { memoryMb: 512, processes: 64, cpuSeconds: 60, fileSizeMb: 1 },
    command: ['/bin/bash', '-c', command],
    ...overrides,
  });
  const run = async (command: string, overrides: Partial<SandboxSpec> = {}) => {
    const lines: string[] = [];
    const outcome = await runCommand({ launch: bubblewrapLaunch(spec(command, overrides)), onLine: (l) => void lines.push(l) });
    return { ...outcome, output: lines.join('\n') };
  };

  beforeAll(() => {
    fs.mkdirSync(app);
    fs.mkdirSync(data);
    fs.chownSync(data, UID, UID);
    fs.writeFileSync(path.join(app, 'index.html'), 'shop\n');
    fs.writeFileSync(secret, 'do not read\n', { mode: 0o600 });
    fs.writeFileSync(path.join(root, 'passwd'), `root:x:0:0::/root:/usr/sbin/nologin\nweb:x:${UID}:${UID}::/app:/bin/bash\n`);
    fs.writeFileSync(path.join(root, 'group'), `root:x:0:\nweb:x:${UID}:\n`);
  });

  it('probes the host and finds it able to confine code', async () => {
    expect(await probeSandbox()).toEqual({ available: true });
  });

  it('runs as the account with only the given variables, its own PIDs and hostname', async () => {
    const result = await run('id -un; id -u; echo "$GREETING"; env -u PWD -u SHLVL -u _ | sort | cut -d= -f1 | tr "\\n" " "; echo; ps -e -o pid= | wc -l; hostname; pwd');
    expect(result.exitCode, result.output).toBe(0);
    const [user, uid, greeting, names, processes, hostname, cwd] = result.output.split('\n');
    expect([user, uid, greeting, hostname, cwd]).toEqual(['web', String(UID), 'hi there', 'main-abc', '/app']);
    expect(names!.trim()).toBe('GREETING HOME PATH');
    // bubblewrap's reaper, bash, ps and wc, and nothing of the host.
    expect(Number(processes)).toBeLessThanOrEqual(5);
  });

  it('shows nothing of the host but the system folders, and writes only where it may', async () => {
    const result = await run(
      [
        `cat ${secret} && echo READ-SECRET`,
        `ls ${root} && echo LISTED-ROOT`,
        'cat /etc/shadow && echo READ-SHADOW',
        'ls /root && echo LISTED-ROOT-HOME',
        'touch /usr/bin/evil && echo WROTE-USR',
        'touch /app/evil && echo WROTE-APP',
        'touch /evil && echo WROTE-ROOT',
        'echo kept > /data/kept.txt && echo WROTE-DATA',
        'echo scratch > /tmp/scratch && echo WROTE-TMP',
        'cat /app/index.html',
      ].join('; '),
    );
    expect(result.output).not.toMatch(/READ-SECRET|LISTED-ROOT|READ-SHADOW|WROTE-USR|WROTE-APP|WROTE-ROOT/);
    expect(result.output).toContain('WROTE-DATA');
    expect(result.output).toContain('WROTE-TMP');
    expect(result.output).toContain('shop');
    expect(fs.statSync(path.join(data, 'kept.txt')).uid).toBe(UID);
  });

  it('gains nothing from setuid programs: no capabilities, no_new_privs', async () => {
    const result = await run('grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status; su -c id root </dev/null && echo GOT-ROOT; unshare -r id && echo NEW-USERNS; true');
    expect(result.output).toContain('CapEff:\t0000000000000000');
    expect(result.output).toContain('CapBnd:\t0000000000000000');
    expect(result.output).toContain('NoNewPrivs:\t1');
    expect(result.output).not.toContain('GOT-ROOT');
  });

  it('applies the limits: file size and processes', async () => {
    const big = await run('head -c 2000000 /dev/zero > /data/big.bin && echo WROTE-BIG; echo done');
    expect(big.output).not.toContain('WROTE-BIG');
    expect(fs.statSync(path.join(data, 'big.bin')).size).toBeLessThanOrEqual(1024 * 1024);
    // dash gives up at the first failed fork (bash would retry with back-off).
    const forks = await run('exec /bin/sh -c \'i=0; while [ $i -lt 40 ]; do sleep 1 & i=$((i+1)); done; echo forked-them-all\'', { limits: { memoryMb: 512, processes: 16, cpuSeconds: 60, fileSizeMb: 1 } });
    expect(forks.output).toContain('Cannot fork');
    expect(forks.output).not.toContain('forked-them-all');
  });

  it('has no network when asked', async () => {
    const result = await run('cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " "', { network: 'none' });
    expect(result.output.split('\n')).toEqual(['lo']);
  });

  it('streams stdin in and stdout out for archives', async () => {
    const chunks: Buffer[] = [];
    const output = new Writable({ write: (chunk: Buffer, _e, done) => void (chunks.push(chunk), done()) });
    const outcome = await runCommand({
      launch: bubblewrapLaunch(spec('tr a-z A-Z')),
      onLine: () => undefined,
      input: Readable.from([Buffer.from('archive bytes')]),
      output,
    });
    expect(outcome.exitCode).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe('ARCHIVE BYTES');
  });

  it('runs the stop command on timeout, then stops every process of the sandbox', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const outcome = await runCommand({
      launch: bubblewrapLaunch(spec('(sleep 30; echo late > /data/late.txt) & sleep 30; echo never')),
      onLine: (l) => void lines.push(l),
      timeoutMs: 500,
      stop: { launch: bubblewrapLaunch(spec('echo stop-requested > /data/stop.txt')), graceMs: 1_000 },
    });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(lines).not.toContain('never');
    expect(fs.readFileSync(path.join(data, 'stop.txt'), 'utf8')).toBe('stop-requested\n');
    expect(fs.existsSync(path.join(data, 'late.txt'))).toBe(false);
  });

  it('kills code that ignores SIGTERM once the grace time is over', async () => {
    const outcome = await runCommand({ launch: bubblewrapLaunch(spec("trap '' TERM; sleep 30")), onLine: () => undefined, timeoutMs: 300, stop: { launch: undefined, graceMs: 300 } });
    expect(outcome.timedOut).toBe(true);
  });

  it('stops when the activity is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 300);
    const outcome = await runCommand({ launch: bubblewrapLaunch(spec('sleep 30')), onLine: () => undefined, signal: controller.signal });
    expect(outcome.cancelled).toBe(true);
  });

  it('does not start a command whose activity was cancelled before it', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const outcome = await runCommand({ launch: bubblewrapLaunch(spec('echo started > /data/started.txt')), onLine: () => undefined, signal: controller.signal });
    expect(outcome.cancelled).toBe(true);
    expect(fs.existsSync(path.join(data, 'started.txt'))).toBe(false);
  });

  it('stops a command cancelled while its sandbox is still starting, without waiting out the grace time', async () => {
    // A grace time longer than the test's own timeout: only SIGTERM reaching the command ends it in time.
    for (let attempt = 0; attempt < 5; attempt++) {
      const controller = new AbortController();
      setImmediate(() => controller.abort(new Error('cancelled')));
      const outcome = await runCommand({ launch: bubblewrapLaunch(spec('sleep 30')), onLine: () => undefined, signal: controller.signal, stop: { launch: undefined, graceMs: 120_000 } });
      expect(outcome.cancelled).toBe(true);
    }
  });

  it('runs the same launch from a shell script, keeping variables off every command line', () => {
    const script = shellLaunchScript(bubblewrapLaunch(spec('echo "$GREETING from $(id -un)"; read line; echo "got $line"; ps -eo args= | grep -c "hi th[e]re"')));
    expect(script).not.toMatch(/env -i.*hi there/);
    const result = spawnSync('/bin/sh', ['-c', script], { input: 'stdin line\n', encoding: 'utf8', env: { PATH: '/usr/bin:/bin', SSH_ORIGINAL_COMMAND: 'x' } });
    expect(result.stderr).toBe('');
    // Not even the sandbox's own process list shows the value on a command line.
    expect(result.stdout).toBe('hi there from web\ngot stdin line\n0\n');
  });

  it('maps the sandbox paths back to the host when running unconfined', () => {
    const launch = unconfinedLaunch(spec('pwd', { env: { HOME: '/app', PATH: '/app/.pier/bin:/usr/bin', DATA: '/data/uploads', NAME: 'x' } }));
    expect(launch).toMatchObject({ file: '/bin/bash', cwd: app, env: { HOME: app, PATH: `${app}/.pier/bin:/usr/bin`, DATA: `${data}/uploads`, NAME: 'x' }, fdArgs: [] });
  });
});
