// Target (c): oidc-provider, installed with `npm ci` from a scratch copy of the shared peer
// (../shared/peers/oidc-provider beside the repo, as CI lays it out). The install is cached in
// os.tmpdir(), keyed by the peer's package files, so only the first run pays for it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './processes.mjs';

const PEER_FILES = ['package.json', 'package-lock.json', 'provider.mjs'];

export const OIDC_CLIENT = { id: 'svc-worker', secret: 'worker-secret-0123456789abcdef' };
export const OIDC_TOKEN_BODY = 'grant_type=client_credentials&scope=apps%3Aread%20apps%3Awrite';

export function oidcPeerSource(repoRoot) {
  return process.env.PIER_BENCH_OIDC_PEER ?? path.resolve(repoRoot, '../shared/peers/oidc-provider');
}

/** Returns a directory holding provider.mjs with its node_modules installed. */
export async function prepareOidcPeer(repoRoot) {
  const source = oidcPeerSource(repoRoot);
  if (!fs.existsSync(path.join(source, 'provider.mjs'))) {
    throw new Error(`oidc-provider peer not found at ${source}: clone ../shared beside the repo or set PIER_BENCH_OIDC_PEER`);
  }
  const hash = createHash('sha256');
  for (const file of PEER_FILES) hash.update(file).update(fs.readFileSync(path.join(source, file)));
  const target = path.join(os.tmpdir(), `pier-bench-oidc-peer-${hash.digest('hex').slice(0, 12)}`);
  if (fs.existsSync(path.join(target, '.installed'))) return target;

  const staging = `${target}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  for (const file of PEER_FILES) fs.copyFileSync(path.join(source, file), path.join(staging, file));
  process.stderr.write(`Installing the oidc-provider peer (npm ci) into ${target} ...\n`);
  await runCommand('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, inheritStderr: true });
  fs.writeFileSync(path.join(staging, '.installed'), new Date().toISOString() + '\n');
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  return target;
}

export function installedVersion(dir, packageName) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', packageName, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
