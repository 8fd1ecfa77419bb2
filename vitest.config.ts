import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test-support/sequencer.js';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    globalSetup: ['test-support/global-setup.ts'],
    // Two cores: run files in a few forks, tests inside a file in order.
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
