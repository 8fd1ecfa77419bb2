/**
 * `pier-server serve` (or `api`) in the test process, listening on a loopback port: the
 * `startServer` the binary runs, over real HTTP, for suites whose clients are real programs (the
 * pier CLI, ssh and sshd, Chromium, curl). A spawned server pays most of a second of CPU before its
 * first answer and then serves on code not yet compiled; this one starts in a fifth of that, on
 * code the test process has already warmed. Suites about the binary itself or about processes
 * (signals, kill -9, another user, several nodes) spawn it: `startPierServer`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startServer } from './server-dist.js';
import { CapturedOutput } from './captured-output.js';
import { freePort, testServerEnv, type PierServer, type StartOptions } from './pier-server.js';

export type ListeningOptions = Pick<StartOptions, 'dataDir' | 'databaseUrl' | 'env'> & {
  /** `api` leaves the activity worker to other processes, as `pier-server api` does; default `serve`. */
  command?: 'serve' | 'api';
};

export async function startListeningServer(options: ListeningOptions = {}): Promise<PierServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pier-test-'));
  const port = await freePort();
  const env = testServerEnv(dataDir, port, options);
  const config = loadConfig(env);
  const output = new CapturedOutput();
  const running = await startServer(options.command === 'api' ? { ...config, runWorker: false } : config, output.logger(config.logLevel), {
    stdout: output.write,
    stderr: output.write,
  });
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    env,
    output: () => output.text,
    stop: () => (stopped ??= running.close()),
  };
}
