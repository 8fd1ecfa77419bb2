/**
 * Runs once before the suite, in vitest's main process (the test workers inherit its env).
 *
 * Tests that run user code or SSH need root, bubblewrap and sshd, and skip themselves elsewhere
 * (a developer's machine). In CI, skipping would hide them: there, their absence fails the run.
 *
 * Every temporary folder the tests make (data directories, CLI homes, SSH clients' keys, Chromium's
 * profile) goes under one folder of the run, removed at its end: the workers and the programs
 * they start without an environment of their own inherit its TMPDIR. What a failed test leaves for
 * a person to look at (the console's last page) goes to PIER_TEST_KEPT_DIR, the system's, and stays.
 *
 * On PostgreSQL, every test server would otherwise migrate a fresh database at start; instead one
 * template database is migrated here, by the built `pier-server migrate`, and test servers start on
 * copies of it (`createTestDatabase(kind, { migrated: true })`), as a restarted server does.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serverBin } from './pier-server.js';

export default async function setup(): Promise<() => Promise<void>> {
  requireSandboxInCi();
  const removeTemporaryFolder = useTemporaryFolderOfTheRun();
  const dropTemplate = await migrateTemplateDatabase().catch((error: unknown) => {
    removeTemporaryFolder();
    throw error;
  });
  return async () => {
    await dropTemplate();
    removeTemporaryFolder();
  };
}

function useTemporaryFolderOfTheRun(): () => void {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-suite-'));
  // Servers that a test runs as an unprivileged user reach their data directory through it.
  fs.chmodSync(folder, 0o755);
  const previous = process.env.TMPDIR;
  process.env.PIER_TEST_KEPT_DIR = os.tmpdir();
  process.env.TMPDIR = folder;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(folder, { recursive: true, force: true });
  };
}

function requireSandboxInCi(): void {
  if (process.env.CI !== 'true') return;
  const missing = [
    process.getuid?.() !== 0 && 'root',
    !fs.existsSync('/usr/bin/bwrap') && 'bubblewrap',
    !fs.existsSync('/usr/sbin/sshd') && 'openssh-server',
    !fs.existsSync('/usr/bin/curl') && 'curl',
  ].filter(Boolean);
  if (missing.length > 0) throw new Error(`CI runs the sandbox and SSH tests, which need: ${missing.join(', ')}`);
}

async function migrateTemplateDatabase(): Promise<() => Promise<void>> {
  const adminUrl = process.env.PIER_TEST_DATABASE_URL;
  // Without a build (vitest run before `npm run build`), servers migrate their own databases.
  if (!adminUrl || !fs.existsSync(path.join(path.dirname(serverBin), '../dist/main.js'))) return async () => undefined;
  const name = `pier_test_template_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-template-'));
  try {
    await promisify(execFile)(process.execPath, [serverBin, 'migrate'], { env: { PATH: process.env.PATH ?? '', PIER_DATA_DIR: dataDir, DATABASE_URL: url.toString() } });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.env.PIER_TEST_TEMPLATE_DATABASE = name;
  return async () => {
    delete process.env.PIER_TEST_TEMPLATE_DATABASE;
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
}
