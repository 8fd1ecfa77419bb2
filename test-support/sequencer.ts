/**
 * The order files start in. With a few workers, a long file that starts last makes the whole run
 * wait for it. vitest orders by the durations of the previous run where it has them, which a
 * fresh clone (CI) has not, and then by file size, which says little about time (api-fuzz.test.ts,
 * among the longest to run, has 83 lines). So the files that spawn the most
 * processes, and take longest on any machine, start first, longest first; the rest follow in
 * vitest's own order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, as measured on a 2-core machine (SQLite + PostgreSQL, three workers, seconds in comments, 2026-12-02). */
export const longestFiles = [
  'packages/server/src/http/api-fuzz.test.ts', // 61
  'packages/server/src/instance-backup/instance-backup.test.ts', // 51
  'packages/server/src/db/migrations.test.ts', // 40
  'packages/server/src/activities/worker-crash.test.ts', // 38
  'packages/console/src/e2e/console.test.ts', // 38
  'packages/server/src/runtime/escape.test.ts', // 36
  'packages/cli/src/e2e/ssh-commands.test.ts', // 27
  'packages/server/src/access/authorization-matrix.test.ts', // 26
  'packages/server/src/backups/abandoned-backup.test.ts', // 26
  'packages/server/src/ssh/gateway.test.ts', // 25
  'packages/server/src/auth/machine-credentials.test.ts', // 24
  'packages/cli/src/e2e/variable-commands.test.ts', // 24
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = longestFiles.findIndex((name) => file.moduleId.endsWith(name));
      return index === -1 ? longestFiles.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
