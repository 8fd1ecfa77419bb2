/**
 * bench/activities: 1,000 queued backup activities drained by one worker process, then (on a
 * fresh database) by two worker processes sharing one PostgreSQL. Prints throughput, the 2-vs-1
 * ratio, and proves 0 duplicates (no activity claimed twice, one archive per activity) and 0 lost.
 *
 *   npx tsx bench/activities/run.ts [--count 1000] [--environments 20] [--record]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { machineLine, recordSection } from '../docs-section.js';
import {
  ADMIN_EMAIL,
  createApiToken,
  createTestDatabase,
  exchange,
  startPierServer,
  startWorkerProcess,
  type PierServer,
} from '../../test-support/pier-server.js';
import { bearer, request } from '../../test-support/http.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000' }, environments: { type: 'string', default: '20' }, record: { type: 'boolean', default: false } },
});
const count = Number(values.count);
const environmentCount = Number(values.environments);
if (!process.env.PIER_TEST_DATABASE_URL) process.env.PIER_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

interface Outcome {
  workers: number;
  seconds: number;
  perSecond: number;
  complete: number;
  lost: number;
  duplicates: number;
}

async function drain(workers: number): Promise<Outcome> {
  const database = await createTestDatabase('postgres');
  const server = await startPierServer({ databaseUrl: database.url, env: { PIER_WORKER: 'off', PIER_LOG_LEVEL: 'warn', PIER_BACKUP_RETENTION: '1000' } });
  try {
    const headers = bearer(await exchange(server.url, await createApiToken(server, ADMIN_EMAIL, 'bench')));
    const project = await request<{ _embedded: { entity: { id: string } } }>(`${server.url}/projects`, { headers, json: { title: 'Bench' } });
    const projectId = project.body._embedded.entity.id;
    const environments = ['main'];
    for (let i = 1; i < environmentCount; i++) {
      await request(`${server.url}/projects/${projectId}/environments/main/branch`, { headers, json: { name: `env-${i}` } });
      environments.push(`env-${i}`);
    }
    await seedFiles(server, projectId, headers, environments);
    await enqueue(server.url, projectId, headers, environments);

    const started = performance.now();
    const processes = Array.from({ length: workers }, () => startWorkerProcess(server, { PIER_WORKER_CONCURRENCY: '4', PIER_BACKUP_RETENTION: '1000' }));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (;;) {
        const { rows } = await client.query<{ open: string }>(`select count(*) as open from activities where type = 'environment.backup' and state in ('pending', 'in_progress')`);
        if (Number(rows[0]!.open) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(processes.map((p) => p.stop()));
      const verdict = await client.query<{ complete: string; lost: string; reclaimed: string; archives: string }>(`
        select count(*) filter (where state = 'complete' and result = 'success') as complete,
               count(*) filter (where not (state = 'complete' and result = 'success')) as lost,
               count(*) filter (where attempts <> 1) as reclaimed,
               (select count(*) from activity_log where message like 'Archiving%') as archives
          from activities where type = 'environment.backup'`);
      const row = verdict.rows[0]!;
      return {
        workers,
        seconds,
        perSecond: count / seconds,
        complete: Number(row.complete),
        lost: Number(row.lost),
        // A duplicate is an activity claimed more than once, or archived more than once.
        duplicates: Number(row.reclaimed) + (Number(row.archives) - count),
      };
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
    await database.drop();
  }
}

async function seedFiles(server: PierServer, projectId: string, headers: Record<string, string>, environments: string[]): Promise<void> {
  for (const environment of environments) {
    const env = await request(`${server.url}/projects/${projectId}/environments/${environment}`, { headers });
    const dir = path.join(server.dataDir, 'projects', projectId, 'environments', String(env.body.machine_name), 'data');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), `<h1>${environment}</h1>\n`.repeat(50));
  }
}

async function enqueue(url: string, projectId: string, headers: Record<string, string>, environments: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const environment = environments[next++ % environments.length]!;
        const response = await request(`${url}/projects/${projectId}/environments/${environment}/backup`, { headers, json: { safe: false } });
        if (response.status !== 202) throw new Error(`enqueue failed: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }),
  );
}

const one = await drain(1);
const two = await drain(2);
const lines = [
  `activities: ${count} backup activities over ${environmentCount} environments, PostgreSQL, worker concurrency 4 per process`,
  `| workers | seconds | activities/s | complete | lost | duplicates |`,
  `|---:|---:|---:|---:|---:|---:|`,
  ...[one, two].map((o) => `| ${o.workers} | ${o.seconds.toFixed(2)} | ${o.perSecond.toFixed(0)} | ${o.complete} | ${o.lost} | ${o.duplicates} |`),
  ``,
  `ratio 2 workers / 1 worker: ${(two.perSecond / one.perSecond).toFixed(2)}`,
];
console.log(lines.join('\n'));
const ok = [one, two].every((o) => o.lost === 0 && o.duplicates === 0 && o.complete === count);
console.log(ok ? 'PASS: 0 lost, 0 duplicates' : 'FAIL: lost or duplicated activities');

if (values.record) {
  recordSection('## Activity queue (bench/activities)', [
    'Run with `npx tsx bench/activities/run.ts --record` (needs PostgreSQL on 127.0.0.1:5432; each phase uses a fresh database). Each activity archives a small environment folder (tar.gz) and writes its log lines and backup row.',
    '',
    machineLine(),
    '',
    ...lines,
  ]);
}
if (!ok) process.exitCode = 1;
