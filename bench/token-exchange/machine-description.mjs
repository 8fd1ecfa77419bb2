// What the report says about the machine and the code it measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { installedVersion } from './oidc-peer.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function describeMachine(ctx) {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  let nproc = String(os.availableParallelism());
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // no coreutils
  }
  const rootVersion = (name) => installedVersion(repoRoot, name);
  return {
    nproc,
    cpuModel,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    versions: [
      `fastify ${rootVersion('fastify')}`,
      `jose ${rootVersion('jose')}`,
      `autocannon ${rootVersion('autocannon')}`,
      ctx.peerDir ? `oidc-provider ${installedVersion(ctx.peerDir, 'oidc-provider')}` : null,
    ]
      .filter(Boolean)
      .join(', '),
  };
}

export function describeRevision() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/server'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    return `commit ${commit}${dirty ? ' (with uncommitted changes in packages/server)' : ''}`;
  } catch {
    return 'commit unknown';
  }
}
