/**
 * Server start-up benchmark: the median CPU time (user + system, from /proc) and wall time a
 * `pier-server serve` takes from spawn to its first ready `/readyz`, over repeated starts on a
 * fresh data directory — what every test server pays. On PostgreSQL (PIER_TEST_DATABASE_URL set)
 * also from an empty database and from a copy of a migrated one, as the test suite starts them.
 * The baseline, measured the same way in the same run, is a Fastify hello-world process
 * (`bench/token-exchange/hello-server.mjs`): what starting Node and Fastify costs at all.
 *
 *   npm run build && npx tsx bench/server-start/run.ts [--runs 8]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import setUpSuite from '../../test-support/global-setup.js';
import { createTestDatabase, databaseKinds, repoRoot, startPierServer } from '../../test-support/pier-server.js';
import { freePort } from '../../test-support/ports.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '8' } } });
const runs = Number(values.runs);
const CLOCK_TICKS_PER_SECOND = 100;

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;

interface Sample {
  cpuMs: number;
  wallMs: number;
}

/** CPU (user + system) the process has used so far, from /proc. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1000;
}

async function startPier(kind: 'sqlite' | 'postgres', migrated: boolean): Promise<Sample> {
  const database = await createTestDatabase(kind, { migrated });
  const started = performance.now();
  const server = await startPierServer({ databaseUrl: database.url });
  const sample = { wallMs: performance.now() - started, cpuMs: cpuMsOf(server.process.pid!) };
  await server.stop();
  await database.drop();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
  return sample;
}

async function startHelloWorld(): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bench/token-exchange/hello-server.mjs')], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  try {
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/`).then((response) => response.ok, () => false);
      if (answered) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { wallMs: performance.now() - started, cpuMs: cpuMsOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function measure(label: string, start: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let run = 0; run < runs; run++) samples.push(await start());
  const result = { cpuMs: median(samples.map((s) => s.cpuMs)), wallMs: median(samples.map((s) => s.wallMs)) };
  console.log(`${label.padEnd(34)} CPU ${result.cpuMs.toFixed(0).padStart(5)} ms   wall ${result.wallMs.toFixed(0).padStart(5)} ms   (median of ${runs})`);
  return result;
}

function ratio(label: string, sample: Sample, baseline: Sample): void {
  console.log(`${label.padEnd(34)} CPU ${(sample.cpuMs / baseline.cpuMs).toFixed(2)} ×   wall ${(sample.wallMs / baseline.wallMs).toFixed(2)} ×   the hello-world start`);
}

const tearDown = await setUpSuite();
try {
  const baseline = await measure('Fastify hello-world (baseline)', startHelloWorld);
  const measured: [string, Sample][] = [['sqlite', await measure('sqlite', () => startPier('sqlite', false))]];
  if (databaseKinds().includes('postgres')) {
    measured.push(['postgres, empty database', await measure('postgres, empty database', () => startPier('postgres', false))]);
    measured.push(['postgres, copy of a migrated one', await measure('postgres, copy of a migrated one', () => startPier('postgres', true))]);
  }
  console.log('');
  for (const [label, sample] of measured) ratio(label, sample, baseline);
} finally {
  await tearDown();
}
