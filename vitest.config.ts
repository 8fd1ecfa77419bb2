import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test-support/sequencer.js';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    globalSetup: ['test-support/global-setup.ts'],
    // Two cores: run files in two forks, tests inside a file in order. The forks live for the
    // whole run (no isolation per file): a fresh process per file cost each file about a second
    // of CPU (start, vitest's runtime, loading the server build again), a third of the suite's
    // CPU. Files leave the process as they found it; eslint.config.js forbids what would not.
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
