// Child servers for the benchmark: started with their output in a log file, awaited until they
// answer HTTP, and stopped by PID (SIGTERM, then SIGKILL) — also when the run fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const started = new Set();

/** Starts `node <args>`; stdout/stderr go to `logFile` so a chatty server never blocks on a pipe. */
export function startNode(args, { env, cwd, logFile }) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const handle = { child, pid: child.pid, logFile, exited };
  started.add(handle);
  return handle;
}

export async function stop(handle, graceMs = 5_000) {
  if (!started.delete(handle)) return;
  if (handle.child.exitCode !== null || handle.child.signalCode !== null) return;
  process.kill(handle.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(handle.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  await handle.exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...started].map((handle) => stop(handle)));
}

/** Synchronous last resort (process 'exit' handlers cannot await). */
export function killAllNow() {
  for (const handle of started) {
    try {
      process.kill(handle.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  started.clear();
}

/** Polls `url` until it answers 2xx; fails early if the server exits. */
export async function waitForHttp(handle, url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  void handle.exited.then((result) => (exited = result));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited (${JSON.stringify(exited)}) before answering ${url}; log: ${tail(handle.logFile)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms; log: ${tail(handle.logFile)}`);
}

/** Runs `node <args>` to completion and returns its stdout; throws with stderr on failure. */
export function runNode(args, { env, cwd }) {
  return runCommand(process.execPath, args, { env, cwd });
}

export function runCommand(command, args, { env = process.env, cwd, inheritStderr = false }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stderr}`));
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 15) {
  try {
    return '\n' + fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
