/**
 * Server start-up benchmark: the median CPU time (user + system, from /proc) and wall time a
 * `pier-server serve` takes from spawn to its first ready `/readyz`, over repeated starts on a
 * fresh data directory — what every test server pays. On PostgreSQL (PIER_TEST_DATABASE_URL set)
 * also from an empty database and from a copy of a migrated one, as the test suite starts them.
 *
 *   npm run build && npx tsx bench/server-start/run.ts [--runs 8]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import setUpSuite from '../../test-support/global-setup.js';
import { createTestDatabase, databaseKinds, startPierServer } from '../../test-support/pier-server.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '8' } } });
const runs = Number(values.runs);
const CLOCK_TICKS_PER_SECOND = 100;

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;

async function measure(label: string, kind: 'sqlite' | 'postgres', migrated: boolean): Promise<void> {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let run = 0; run < runs; run++) {
    const database = await createTestDatabase(kind, { migrated });
    const started = performance.now();
    const server = await startPierServer({ databaseUrl: database.url });
    wall.push(performance.now() - started);
    const fields = fs.readFileSync(`/proc/${server.process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    cpu.push(((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1000);
    await server.stop();
    await database.drop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
  console.log(`${label.padEnd(34)} CPU ${median(cpu).toFixed(0).padStart(5)} ms   wall ${median(wall).toFixed(0).padStart(5)} ms   (median of ${runs})`);
}

const tearDown = await setUpSuite();
try {
  await measure('sqlite', 'sqlite', false);
  if (databaseKinds().includes('postgres')) {
    await measure('postgres, empty database', 'postgres', false);
    await measure('postgres, copy of a migrated one', 'postgres', true);
  }
} finally {
  await tearDown();
}
