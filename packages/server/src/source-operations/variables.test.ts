import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../../../test-support/pier-server.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logging.js';
import { createServices, type Services } from '../services.js';
import { SOURCE_OPERATION_ACTIVITY } from './handler.js';
import { sealSourceOperationVariables, takeSourceOperationVariables } from './variables.js';

/** The interface the source-operation handler uses to get the values its run needs. */
describe.each(databaseKinds())('source-operation variables for the run (%s)', (kind) => {
  let database: TestDatabase;
  let services: Services;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-variables-'));
    services = await createServices(loadConfig({ PIER_DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) }), createLogger('silent'));
  });
  afterAll(async () => {
    await services?.close();
    await database?.drop();
  });

  it('hands the values to the run until the activity finishes, then forgets them', async () => {
    const actor = { userId: null, email: null, authMethod: 'system' as const, apiTokenId: null, apiTokenName: null, clientIp: null };
    const { db } = services.database;
    const activity = await db.transaction().execute(async (trx) => {
      const queued = await services.activities.enqueue(trx, actor, { projectId: 'p', environmentId: 'main', type: SOURCE_OPERATION_ACTIVITY, text: 'run' });
      await sealSourceOperationVariables(services, trx, queued.id, { 'env:TOKEN': 's3cret', plain: 'x' });
      return queued;
    });
    expect(await services.activities.sealedInput(activity.id)).not.toContain('s3cret');
    const claimed = await services.activities.claim('worker', 30, 3);
    expect(claimed?.id).toBe(activity.id);
    expect(await takeSourceOperationVariables(services, activity.id)).toEqual({ 'env:TOKEN': 's3cret', plain: 'x' });
    // Again after a lost lease: the values are still there for the next attempt.
    expect(await takeSourceOperationVariables(services, activity.id)).toEqual({ 'env:TOKEN': 's3cret', plain: 'x' });
    await services.activities.finish(activity.id, 'worker', { state: 'complete', result: 'success' });
    expect(await takeSourceOperationVariables(services, activity.id)).toEqual({});
    expect(await services.activities.sealedInput(activity.id)).toBeNull();
  });
});
