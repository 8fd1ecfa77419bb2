import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, spawnServerCommand } from '../../../test-support/pier-server.js';
import { useListeningServer } from '../../../test-support/lifecycle.js';

const postgres = process.env.PIER_TEST_DATABASE_URL ? describe : describe.skip;

/**
 * Admin commands open the database, do one thing and close it again, while the change feed may
 * still be (re)loading: closing must wait for that, not pull the connection out from under it
 * ("driver has already been destroyed" failed a CI run).
 */
postgres('admin commands against a running PostgreSQL installation', () => {
  const ctx = useListeningServer('postgres');

  it('creates API tokens reliably, run after run', async () => {
    const attempts = Array.from({ length: 8 }, (_, i) => i);
    const results: Array<{ code: number; stdout: string; stderr: string }> = [];
    for (let i = 0; i < attempts.length; i += 4) {
      results.push(
        ...(await Promise.all(
          attempts.slice(i, i + 4).map((n) =>
            spawnServerCommand(ctx.server.env, ['user:create-token', ADMIN_EMAIL, '--name', `run-${n}`]),
          ),
        )),
      );
    }
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^pier_[0-9A-Za-z]{49}\n$/) });
    }
  }, 120_000);
});
