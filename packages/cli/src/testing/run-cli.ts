/**
 * Runs the built `pier` / `platform` binaries as child processes, exactly as CI jobs do, with a
 * clean environment (nothing leaks in from the developer's shell) and a private CLI home.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PierServer } from '../../../../test-support/pier-server.js';
import { runProgram } from '../../../../test-support/programs.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binaries = { pier: path.join(packageDir, 'bin/pier.cjs'), platform: path.join(packageDir, 'bin/platform.cjs') };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  binary?: keyof typeof binaries;
  /** Working directory (project detection starts here); a fresh empty folder if unset. */
  cwd?: string;
}

export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
  const result = await runProgram(process.execPath, [binaries[options.binary ?? 'pier'], ...args], { env, cwd: options.cwd ?? neutralCwd(), input: options.input ?? '' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let emptyFolder: string | undefined;
/** An empty folder outside any git checkout, so that no project is detected by accident. */
function neutralCwd(): string {
  return (emptyFolder ??= tempDir('pier-cwd-'));
}

/** A fresh folder to use as HOME or as the CLI home. */
export function tempDir(prefix = 'pier-cli-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The environment of a CI job: a HOME of its own and the server's URL. */
export function ciEnv(server: Pick<PierServer, 'url'>, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { HOME: tempDir('pier-home-'), PIER_CLI_API_URL: server.url, ...extra };
}

/** How many API-token exchanges the server has handled (it logs every request). */
export function exchangeCount(server: PierServer): number {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"request completed"') && line.includes('"method":"POST"') && line.includes('"url":"/oauth2/token"'))
    .length;
}

/** Waits until the server's log stops growing, so counts include requests just served. */
export async function logSettled(server: PierServer): Promise<void> {
  let last = -1;
  while (server.output().length !== last) {
    last = server.output().length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every file under a folder, with its mode and content, for "never on disk" checks. */
export function filesUnder(dir: string): { file: string; mode: number; content: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile()) return [];
    return [{ file, mode: fs.statSync(file).mode & 0o777, content: fs.readFileSync(file, 'latin1') }];
  });
}

/** Runs `action` and returns how many token exchanges the server saw meanwhile. */
export async function exchangesDuring(server: PierServer, action: () => Promise<void>): Promise<number> {
  await logSettled(server);
  const before = exchangeCount(server);
  await action();
  await logSettled(server);
  return exchangeCount(server) - before;
}
