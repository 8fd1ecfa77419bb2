#!/usr/bin/env node
// `npm start` on a fresh clone: install when needed, build, then run pier-server in the foreground
// on the embedded database (./.pier-data unless PIER_DATA_DIR is set).
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(title, args) {
  process.stderr.write(`\n> ${title}\n`);
  const result = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const installed = path.join(root, 'node_modules/.package-lock.json');
const lock = path.join(root, 'package-lock.json');
if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs) {
  step('Installing dependencies (npm ci)', ['ci', '--no-audit', '--no-fund']);
}
step('Building', ['run', 'build']);

const server = spawn(process.execPath, [path.join(root, 'packages/server/bin/pier-server.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { PIER_DATA_DIR: path.join(root, '.pier-data'), ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
