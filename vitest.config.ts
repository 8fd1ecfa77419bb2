import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test-support/sequencer.js';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    globalSetup: ['test-support/global-setup.ts'],
    // Three forks on two cores, tests inside a file in order: a file spends part of its time
    // waiting (for a lease or a token to expire, for sshd, for Chromium), and with two forks a
    // third of the machine's CPU went unused (vitest 314-338 s with two, 290 s with three;
    // docs/benchmarks.md). The forks live for the whole run (no isolation per file): a fresh
    // process per file cost each file about a second of CPU (start, vitest's runtime, loading the
    // server build again). Files leave the process as they found it; eslint.config.js forbids
    // what would not.
    pool: 'forks',
    maxWorkers: 3,
    isolate: false,
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
