#!/usr/bin/env node
// Token exchange benchmark (issue 2, item 8): req/s and p99 on loopback of
//   (a) a Fastify hello-world route, (b) Pier's api_token exchange, (c) oidc-provider issuing
//   JWT access tokens for client_credentials, (d) an authenticated GET /users/me,
// with the ratios b/a, b/c (target ≥ 3) and d/a (target ≥ 0.40); and issue 15's, at the default
// log level with a new JWT every time: b-sign-info/c ≥ 2.5, d-info/a ≥ 0.5, and a token scope +
// address binding (d-scoped vs d-info) adding ≤ 5 %. `--help` lists the options.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { killAllNow, runCommand, stop, stopAll } from './processes.mjs';
import { prepareOidcPeer } from './oidc-peer.mjs';
import { startServer } from './targets.mjs';
import { describeMachine, describeRevision } from './machine-description.mjs';
import { computeRatios, formatConsole, formatMarkdown, writeDocsSection } from './report.mjs';
import { formatSummary, summarizeProfile } from './profile-summary.mjs';
import { cpuSnapshot, foreignLoad, processJiffies } from './machine-load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const usage = `usage: node bench/token-exchange/run.mjs [options]
  --duration S      seconds of load per target (default 10; anything else is a quick run)
  --connections N   autocannon connections (default 50)
  --warmup S        seconds of unmeasured load first (default 3)
  --rounds N        measure every target N times, interleaved, and keep each one's median (default 1)
  --only IDS        comma-separated targets: a,b,c,d,c-es256,b-info,d-info,b-sign,b-metrics,d-metrics,
                    b-sign-info,d-scoped (default all)
  --pier-alg ALG    PIER_JWT_ALG for Pier (ES256 or EdDSA; default: the server's default)
  --cpu-prof        write a V8 CPU profile of every Pier target and print its top frames
  --write-docs      update docs/benchmarks.md even for a quick or partial run
  --no-docs         never update docs/benchmarks.md
  --skip-build      do not run the server build first
  --strict          exit 2 when a target ratio fails`;

const TARGETS = [
  { id: 'a', label: 'Fastify hello-world, GET /', server: 'hello' },
  { id: 'b', label: 'Pier api_token exchange, POST /oauth2/token', server: 'pier', logLevel: 'warn', call: 'exchange' },
  { id: 'c', label: 'oidc-provider client_credentials, JWT EdDSA', server: 'oidc', alg: 'EdDSA' },
  { id: 'd', label: 'Pier GET /users/me, Bearer access token', server: 'pier', logLevel: 'warn', call: 'me' },
  { id: 'c-es256', label: 'oidc-provider client_credentials, JWT ES256', server: 'oidc', alg: 'ES256' },
  { id: 'b-info', label: 'Pier api_token exchange, log level info', server: 'pier', logLevel: 'info', call: 'exchange' },
  { id: 'd-info', label: 'Pier GET /users/me, log level info', server: 'pier', logLevel: 'info', call: 'me' },
  // Every exchange signs a new token: the access-token reuse window switched off.
  { id: 'b-sign', label: 'Pier exchange, a new JWT signed every time', server: 'pier', logLevel: 'warn', call: 'exchange', env: { PIER_ACCESS_TOKEN_REUSE_SECONDS: '0' } },
  // Metrics exposed: every request is also counted and timed (issue 17); compare with b and d.
  { id: 'b-metrics', label: 'Pier exchange, metrics on', server: 'pier', logLevel: 'warn', call: 'exchange', env: { PIER_METRICS_TOKEN: 'bench-scrape-token-0123456789' } },
  { id: 'd-metrics', label: 'Pier GET /users/me, metrics on', server: 'pier', logLevel: 'warn', call: 'me', env: { PIER_METRICS_TOKEN: 'bench-scrape-token-0123456789' } },
  // Issue 15's targets: what users run (log level info) with the reuse window off.
  { id: 'b-sign-info', label: 'Pier exchange, log level info, a new JWT every time', server: 'pier', logLevel: 'info', call: 'exchange', env: { PIER_ACCESS_TOKEN_REUSE_SECONDS: '0' } },
  // The same as d-info with an access token from an API token that has a scope and an address
  // binding (pier_scope + allowed_ips claims): what checking them costs per request.
  { id: 'd-scoped', label: 'Pier GET /users/me, log level info, token with scope + allowed_ips', server: 'pier', logLevel: 'info', call: 'me', scoped: true },
];

async function main() {
  const { values: options } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '1' },
      only: { type: 'string' },
      'pier-alg': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'write-docs': { type: 'boolean', default: false },
      'no-docs': { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (options.help) return void console.log(usage);
  const settings = { duration: positive(options.duration, '--duration'), connections: positive(options.connections, '--connections'), warmup: Number(options.warmup), rounds: positive(options.rounds, '--rounds') };
  const only = options.only?.split(',').map((id) => id.trim());
  const unknown = only?.filter((id) => !TARGETS.some((target) => target.id === id));
  if (unknown?.length) throw new Error(`unknown target(s) ${unknown.join(', ')}\n${usage}`);
  if (options['pier-alg'] && !['ES256', 'EdDSA'].includes(options['pier-alg'])) throw new Error('--pier-alg takes ES256 or EdDSA');
  const targets = TARGETS.filter((target) => !only || only.includes(target.id));

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-bench-'));
  const ctx = { options, settings, runDir, dataDir: path.join(runDir, 'data'), apiToken: null, peerDir: null };
  console.log(`Run directory (server logs, data, profiles): ${runDir}`);
  if (!options['skip-build']) {
    console.log('Building packages/api and packages/server ...');
    await runCommand('npm', ['run', 'build', '-w', 'packages/api', '-w', 'packages/server'], { cwd: repoRoot });
  }
  if (targets.some((target) => target.server === 'oidc')) ctx.peerDir = await prepareOidcPeer(repoRoot);

  const rounds = targets.map(() => []);
  for (let round = 1; round <= settings.rounds; round++) {
    if (settings.rounds > 1) console.log(`\n=== round ${round} of ${settings.rounds}`);
    for (const [index, target] of targets.entries()) rounds[index].push(await measure(target, ctx));
  }
  const results = rounds.map(median);

  const ratios = computeRatios(results);
  console.log('\n' + formatConsole(results, ratios));
  const invalid = results.filter((r) => r.non2xx || r.errors || r.timeouts);
  if (invalid.length) console.error(`\nINVALID: non-2xx responses or errors in ${invalid.map((r) => r.id).join(', ')}; see the logs in ${runDir}`);

  const fullRun = !only && settings.duration === 10 && settings.connections === 50;
  if (!options['no-docs'] && (options['write-docs'] || fullRun) && !invalid.length) {
    const docsFile = path.join(repoRoot, 'docs/benchmarks.md');
    const section = formatMarkdown({ results, ratios, machine: describeMachine(ctx), settings, when: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', revision: describeRevision() });
    writeDocsSection(docsFile, section);
    console.log(`\nUpdated ${path.relative(repoRoot, docsFile)}`);
  } else if (!options['no-docs']) {
    console.log('\ndocs/benchmarks.md left alone (quick, partial or invalid run; --write-docs forces it)');
  }
  if (invalid.length) return 1;
  if (options.strict && [...ratios.main, ...ratios.info, ...ratios.issue15, ...ratios.costs].some((ratio) => ratio.verdict === 'FAIL')) return 2;
  return 0;
}

/** One target: fresh server, correctness check, warm-up, measured load, stop (and profile). */
async function measure(target, ctx) {
  console.log(`\n[${target.id}] ${target.label}`);
  const server = await startServer(target, ctx);
  try {
    const sample = await server.check();
    console.log(`  check: ${sample}`);
    const load = (seconds) =>
      autocannon({ url: server.baseUrl + server.request.path, method: server.request.method, headers: server.request.headers, body: server.request.body, connections: ctx.settings.connections, duration: seconds });
    if (ctx.settings.warmup > 0) await load(ctx.settings.warmup);
    const before = cpuSnapshot([process.pid, server.handle.pid]);
    const serverBefore = processJiffies(server.handle.pid);
    const result = await load(ctx.settings.duration);
    const serverJiffies = processJiffies(server.handle.pid) - serverBefore;
    const foreign = foreignLoad(before, cpuSnapshot([process.pid, server.handle.pid]));
    const measured = {
      id: target.id,
      label: target.label,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      othersPercent: foreign?.othersPercent ?? null,
      stealPercent: foreign?.stealPercent ?? null,
      // Jiffies are 10 ms (USER_HZ 100): ten seconds of load measure this to a fraction of a percent.
      cpuUsPerRequest: serverJiffies > 0 && result.requests.total > 0 ? (serverJiffies * 10_000) / result.requests.total : null,
      sample,
      claimsMissing: server.claimsMissing === true,
    };
    console.log(`  ${Math.round(measured.rps)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, non-2xx ${measured.non2xx}, errors ${measured.errors + measured.timeouts}`);
    if (foreign && foreign.othersPercent + foreign.stealPercent > 10) {
      console.warn(`  warning: other processes used ${foreign.othersPercent.toFixed(0)} % and the hypervisor stole ${foreign.stealPercent.toFixed(0)} % of the CPU meanwhile; numbers are noisy`);
    }
    return measured;
  } finally {
    await stop(server.handle);
    if (server.profileDir) printProfile(server.profileDir);
  }
}

/** The round with the median req/s (its own p99 with it), carrying every round's non-2xx and errors. */
function median(measurements) {
  const sorted = [...measurements].sort((x, y) => x.rps - y.rps);
  const middle = sorted[Math.floor(sorted.length / 2)];
  const sum = (field) => measurements.reduce((total, m) => total + m[field], 0);
  const cpu = measurements.map((m) => m.cpuUsPerRequest).filter((v) => v !== null).sort((x, y) => x - y);
  return { ...middle, cpuUsPerRequest: cpu.length ? cpu[Math.floor(cpu.length / 2)] : null, non2xx: sum('non2xx'), errors: sum('errors'), timeouts: sum('timeouts'), allRps: measurements.map((m) => m.rps) };
}

function positive(value, name) {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} takes a positive number`);
  return number;
}

function printProfile(profileDir) {
  const files = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((file) => file.endsWith('.cpuprofile')) : [];
  for (const file of files) {
    console.log(`  CPU profile ${path.join(profileDir, file)}`);
    console.log(formatSummary(summarizeProfile(path.join(profileDir, file), 15)));
  }
}

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await stopAll();
    process.exitCode = code;
  },
  async (error) => {
    await stopAll();
    console.error(`\nbench/token-exchange failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
