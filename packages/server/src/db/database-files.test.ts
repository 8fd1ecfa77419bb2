import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test-support/pier-server.js';
import { startInProcessServer } from '../../../../test-support/in-process.js';

describe('the SQLite database files', () => {
  let close: (() => Promise<void>) | undefined;
  afterAll(() => close?.());

  it('are readable by their owner only, even in a world-readable data directory', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-open-'));
    fs.chmodSync(dataDir, 0o755);
    ({ close } = await startInProcessServer(await createTestDatabase('sqlite'), { dataDir }));
    const files = fs.readdirSync(dataDir).filter((name) => name.startsWith('pier.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['pier.sqlite', 'pier.sqlite-wal']));
    for (const name of files) expect((fs.statSync(path.join(dataDir, name)).mode & 0o777).toString(8), name).toBe('600');
  });
});
