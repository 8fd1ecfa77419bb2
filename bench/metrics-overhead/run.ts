/**
 * bench/metrics-overhead: what counting every request costs, as server CPU per request, metrics
 * on (PIER_METRICS_TOKEN) over off. Four real Pier apps (each its own services and SQLite: two
 * with metrics, two without) in one process are driven with `inject` in alternating batches, so a shared, busy machine slows both
 * alike; the median batch of each is compared. Target: metrics on costs ≤ 5 % more CPU.
 *
 *   npm run build && npx tsx bench/metrics-overhead/run.ts [--rounds 40] [--batch 2000] [--record]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { machineLine, recordSection } from '../docs-section.js';
import { loadConfig } from '../../packages/server/dist/config.js';
import { createLogger } from '../../packages/server/dist/logging.js';
import { createServices } from '../../packages/server/dist/services.js';
import { buildApp } from '../../packages/server/dist/app.js';
import { startMetrics } from '../../packages/server/dist/metrics/scrape-endpoint.js';
import { PasswordHasher } from '../../packages/server/dist/users/passwords.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '40' }, batch: { type: 'string', default: '2000' }, record: { type: 'boolean', default: false } } });
const rounds = Number(values.rounds);
const batch = Number(values.batch);

interface Target {
  label: string;
  app: FastifyInstance;
  request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; payload?: string };
  cpu: number[];
}

async function pier(metrics: boolean): Promise<{ app: FastifyInstance; apiToken: string; accessToken: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-bench-metrics-'));
  const config = loadConfig({ PIER_DATA_DIR: dataDir, PIER_LOG_LEVEL: 'warn', PIER_WORKER: 'off', ...(metrics ? { PIER_METRICS_TOKEN: 'bench-scrape-token-0123456789' } : {}) });
  const services = await createServices(config, createLogger('warn'));
  const user = await services.users.create({ email: 'bench@example.com', passwordHash: await new PasswordHasher().hash('bench password 123'), isAdmin: true, emailVerified: true });
  const { token } = await services.apiTokens.create(user.id, 'bench', null);
  const issued = await services.tokenExchange.exchange(token, 'pier-cli', '127.0.0.1');
  const app = await buildApp(services);
  await app.ready();
  await startMetrics(services, 'http://127.0.0.1');
  return { app, apiToken: token, accessToken: issued!.accessToken };
}

// Two apps of each kind, made alternately: comparing the two of one kind (an A/A control)
// shows how far apart identical apps measure here, which a difference must exceed to mean anything.
const servers = { off1: await pier(false), on1: await pier(true), off2: await pier(false), on2: await pier(true) };
const basic = `Basic ${Buffer.from('pier-cli:').toString('base64')}`;
const meOf = (label: string, server: Awaited<ReturnType<typeof pier>>): Target => ({ label: `GET /users/me, ${label}`, app: server.app, request: { method: 'GET', url: '/users/me', headers: { authorization: `Bearer ${server.accessToken}` } }, cpu: [] });
const tokenOf = (label: string, server: Awaited<ReturnType<typeof pier>>): Target => ({
  label: `POST /oauth2/token, ${label}`,
  app: server.app,
  request: { method: 'POST', url: '/oauth2/token', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, payload: `grant_type=api_token&api_token=${server.apiToken}` },
  cpu: [],
});
const me = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, meOf(name, server)])) as Record<keyof typeof servers, Target>;
const token = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, tokenOf(name, server)])) as Record<keyof typeof servers, Target>;
const all = [...Object.values(me), ...Object.values(token)];

async function runBatch(target: Target): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < batch; i++) {
    const response = await target.app.inject(target.request);
    if (response.statusCode !== 200) throw new Error(`${target.label}: ${response.statusCode} ${response.body}`);
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / batch;
}

for (const target of all) await runBatch(target); // warm-up
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so neither always follows the other.
  const order = round % 2 === 0 ? all : [...all].reverse();
  for (const target of order) target.cpu.push(await runBatch(target));
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const rows = all.map((t) => `| ${t.label} | ${median(t.cpu).toFixed(1)} |`);
const pair = (a: Target, b: Target) => (median(a.cpu) + median(b.cpu)) / 2;
const ratioRow = (route: string, set: Record<keyof typeof servers, Target>) => {
  const [on, off] = [pair(set.on1, set.on2), pair(set.off1, set.off2)];
  const control = Math.max(median(set.off1.cpu), median(set.off2.cpu)) / Math.min(median(set.off1.cpu), median(set.off2.cpu));
  return `| ${route} | ${(on / off).toFixed(3)} | ${on >= off ? '+' : ''}${(on - off).toFixed(1)} µs | ${control.toFixed(3)} | ≤ 1.05 ${on / off <= 1.05 ? 'PASS' : 'FAIL'} |`;
};
const ratios = [ratioRow('GET /users/me', me), ratioRow('POST /oauth2/token', token)];
const lines = [
  'Run with `npm run build && npx tsx bench/metrics-overhead/run.ts --record`. Four Pier apps in one process (SQLite, log level warn, two with `PIER_METRICS_TOKEN`) answer `inject` requests in alternating batches; CPU time per request (process.cpuUsage, includes inject\'s own work, the same for both), median batch.',
  '',
  `${machineLine()} ${rounds} rounds of ${batch} requests per target.`,
  '',
  '| target | CPU µs/request |',
  '|---|---:|',
  ...rows,
  '',
  '| on / off (mean of two apps each) | ratio | difference | A/A control (off1 vs off2) | target |',
  '|---|---:|---:|---:|---|',
  ...ratios,
];
console.log(lines.join('\n'));
if (values.record) recordSection('## Metrics overhead (bench/metrics-overhead)', lines);
process.exit(0);
