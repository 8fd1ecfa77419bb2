/**
 * Refuse rather than run unconfined: a server that cannot confine user code still serves the API
 * but refuses that code, saying what to install; `PIER_SANDBOX=off` runs it unconfined only when
 * asked, and says so at start and in every activity log it affects.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actor, createProjectAs } from '../../../../test-support/actors.js';
import { waitForActivity, type ActivityBody } from '../../../../test-support/activities.js';
import { canRunGateway } from '../../../../test-support/ssh-gateway.js';
import { arrangeProjectCode } from '../../../../test-support/repositories.js';
import fs from 'node:fs';
import path from 'node:path';

type Accepted = { _embedded: { activities: ActivityBody[] } };
const NOBODY = 65534;

async function backupLog(server: { url: string }, headers: Record<string, string>, projectId: string): Promise<{ activity: ActivityBody; log: string }> {
  const started = await request<Accepted>(`${server.url}/projects/${projectId}/environments/main/backup`, { headers, json: { safe: false } });
  expect(started.status).toBe(202);
  const activity = await waitForActivity(server.url, projectId, started.body._embedded.activities[0]!.id, headers);
  const log = await (await fetch(`${server.url}/projects/${projectId}/activities/${activity.id}/log`, { headers })).text();
  return { activity, log };
}

// Starting the server as another user needs root; so does the unconfined run's comparison.
describe.runIf(canRunGateway)('user code where it cannot be confined', () => {
  const ctx = usePierServer('sqlite', { uid: NOBODY });

  it('serves the API, names what is missing at start, and fails the activity with the reason', async () => {
    expect(ctx.server.output()).toContain('User code (hooks, crons, source operations, SSH sessions) will not run: pier-server is not running as root');
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectAs(ctx.server, admin, 'Unconfinable');
    const { activity, log } = await backupLog(ctx.server, admin.headers, projectId);
    expect(activity.result).toBe('failure');
    expect(log).toContain('This server cannot run user code');
    expect(log).toContain('Install bubblewrap');
    expect(log).toContain('PIER_SANDBOX=off');
  });
});

describe.runIf(canRunGateway)('PIER_SANDBOX=off', () => {
  const ctx = usePierServer('sqlite', { env: { PIER_SANDBOX: 'off' } });

  it('runs user code unconfined, warning at start and first in the activity log', async () => {
    await expect.poll(() => ctx.server.output()).toContain('PIER_SANDBOX=off');
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const projectId = await createProjectAs(ctx.server, admin, 'Unconfined');
    const { activity, log } = await backupLog(ctx.server, admin.headers, projectId);
    expect(activity.result, log).toBe('success');
    expect(log.split('\n')[0]).toContain('WARNING: PIER_SANDBOX=off: this code runs unconfined');

    // A source operation (clone, command, commit) and the deploy it triggers (unpack, build hook,
    // mounts) work on the host's paths.
    await arrangeProjectCode(ctx.server, projectId, admin.headers, {
      '.pier/config.yaml': 'applications:\n  app:\n    hooks:\n      build: echo built > built.txt\n    mounts:\n      var: {}\n    source:\n      operations:\n        stamp:\n          command: echo stamped > stamp.txt\n',
    });
    const operation = await request<Accepted>(`${ctx.server.url}/projects/${projectId}/environments/main/source-operation`, { headers: admin.headers, json: { operation: 'stamp' } });
    const operated = await waitForActivity(ctx.server.url, projectId, operation.body._embedded.activities[0]!.id, admin.headers);
    const operationLog = await (await fetch(`${ctx.server.url}/projects/${projectId}/activities/${operated.id}/log`, { headers: admin.headers })).text();
    expect(operated.result, operationLog).toBe('success');
    expect(operationLog.split('\n')[0]).toContain('PIER_SANDBOX=off');
    const deploys = await request<ActivityBody[]>(`${ctx.server.url}/projects/${projectId}/activities?type=environment.push`, { headers: admin.headers });
    const deployed = await waitForActivity(ctx.server.url, projectId, deploys.body[0]!.id, admin.headers);
    expect(deployed.result).toBe('success');
    const { machine_name: machineName } = (await apiAs(ctx.server, admin.headers).GET('/projects/{projectId}/environments/{environmentId}', { params: { path: { projectId, environmentId: 'main' } } })).data!;
    const current = path.join(ctx.server.dataDir, 'projects', projectId, 'environments', machineName, 'current');
    expect(fs.readFileSync(path.join(current, 'built.txt'), 'utf8')).toBe('built\n');
    expect(fs.readFileSync(path.join(current, 'stamp.txt'), 'utf8')).toBe('stamped\n');
    expect(fs.readlinkSync(path.join(current, 'var'))).toBe(path.join(ctx.server.dataDir, 'projects', projectId, 'environments', machineName, 'data', 'var'));
  });
});
