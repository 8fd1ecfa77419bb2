/**
 * bench/ssh-certs: OpenSSH user certificates per second, (1) signing alone in this process and
 * (2) through `POST /ssh` over loopback (exchange-authenticated, with audit entry), plus the
 * ratio HTTP / signing. Target: ≥ 5,000 certificates/s for the signing itself.
 *
 *   npm run build && npx tsx bench/ssh-certs/run.ts [--duration 10] [--record]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { machineLine, recordSection } from '../docs-section.js';
import { loadCertificateAuthority } from '../../packages/server/dist/ssh/authority.js';
import { permitExtensions, signCertificate, USER_CERTIFICATE } from '../../packages/server/dist/ssh/certificates.js';
import { parsePublicKeyLine } from '../../packages/server/dist/ssh/public-keys.js';
import { ADMIN_EMAIL, createApiToken, exchange, startPierServer } from '../../test-support/pier-server.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, record: { type: 'boolean', default: false } } });
const duration = Number(values.duration);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-bench-ssh-'));
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(scratch, 'id')]);
const publicKey = fs.readFileSync(path.join(scratch, 'id.pub'), 'utf8');

function signingRate(): number {
  const ca = loadCertificateAuthority(scratch, 'bench-ca');
  const key = parsePublicKeyLine(publicKey);
  const extensions = Object.fromEntries(permitExtensions.map((e) => [e, '']));
  const sign = () =>
    signCertificate(ca, { key, type: USER_CERTIFICATE, keyId: 'bench', principals: ['bench'], validAfter: new Date(), validBefore: new Date(Date.now() + 3_600_000), extensions }, 'bench');
  for (let i = 0; i < 2_000; i++) sign();
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < Math.min(duration, 5) * 1000) {
    for (let i = 0; i < 500; i++) sign();
    count += 500;
  }
  return count / ((performance.now() - started) / 1000);
}

async function httpRate(): Promise<{ perSecond: number; p99: number; non2xx: number }> {
  const server = await startPierServer({ env: { PIER_LOG_LEVEL: 'warn' } });
  try {
    const accessToken = await exchange(server.url, await createApiToken(server, ADMIN_EMAIL, 'bench'));
    const options = {
      url: `${server.url}/ssh`,
      method: 'POST' as const,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: publicKey }),
      connections: 20,
    };
    await autocannon({ ...options, duration: 2 });
    const result = await autocannon({ ...options, duration });
    return { perSecond: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
  } finally {
    await server.stop();
  }
}

const signing = signingRate();
const http = await httpRate();
const lines = [
  `| measurement | certificates/s | p99 ms | target |`,
  `|---|---:|---:|---|`,
  `| signing only (node:crypto Ed25519 CA, one process) | ${signing.toFixed(0)} | — | ≥ 5,000 ${signing >= 5000 ? 'PASS' : 'FAIL'} |`,
  `| POST /ssh over loopback (autocannon, 20 connections, ${duration} s; non-2xx ${http.non2xx}) | ${http.perSecond.toFixed(0)} | ${http.p99} | — |`,
  ``,
  `ratio HTTP / signing: ${(http.perSecond / signing).toFixed(2)}`,
];
console.log(lines.join('\n'));

if (values.record) {
  recordSection('## SSH certificates (bench/ssh-certs)', [
    'Run with `npm run build && npx tsx bench/ssh-certs/run.ts --record`. The endpoint path includes JSON parsing, bearer verification, key validation, signing and an audit entry on SQLite.',
    '',
    machineLine(),
    '',
    ...lines,
  ]);
}
if (http.non2xx > 0) process.exitCode = 1;
