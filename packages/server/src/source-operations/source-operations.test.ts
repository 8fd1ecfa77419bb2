import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess, type TestActor } from '../../../../test-support/in-process-actors.js';
import { waitForActivityInProcess, type ActivityBody } from '../../../../test-support/activities.js';
import { commitToRepository } from '../../../../test-support/repositories.js';
import { canRunGateway } from '../../../../test-support/ssh-gateway.js';
import { databaseRows } from '../../../../test-support/database-rows.js';

const config = `applications:
  app:
    source:
      operations:
        update:
          command: |
            echo "updating in $PIER_SOURCE_DIR for $PIER_BRANCH"
            date -u +%Y > VERSION
            echo "$GREETING" >> VERSION
        broken:
          command: echo "about to fail"; touch should-not-be-committed; exit 3
`;

// Source operations run in the bubblewrap sandbox, which needs root (as the SSH gateway does).
describe.runIf(canRunGateway).each(databaseKinds())('source operations (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { worker: true });
  let admin: TestActor;
  let bot: TestActor;
  let projectId: string;
  let repoPath: string;
  const base = () => `/projects/${projectId}/environments/main`;

  function git(args: string[], cwd: string) {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  }

  beforeAll(async () => {
    admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    bot = await actorInProcess(ctx.server, `bot-${kind}@example.com`);
    projectId = await createProjectInProcess(ctx.server, admin, 'Sources');
    await grantInProcess(ctx.server, admin, projectId, bot, ['viewer', 'production:contributor']);
    expect((await rawRequest(ctx.server, `${base()}/source-operations`, { headers: admin.headers })).body).toEqual([]);
    repoPath = path.join(ctx.server.dataDir, 'git', `${projectId}.git`);
    commitToRepository(ctx.server, projectId, 'main', { '.pier/config.yaml': config });
    await rawRequest(ctx.server, `${base()}/variables`, { headers: admin.headers, json: { name: 'env:GREETING', value: 'hi from a variable', visible_build: true } });
  });

  it('lists the operations of the branch config', async () => {
    const list = await rawRequest(ctx.server, `${base()}/source-operations`, { headers: bot.headers });
    expect(list.body).toEqual([
      { id: 'update', operation: 'update', app: 'app', command: expect.stringContaining('date -u') },
      { id: 'broken', operation: 'broken', app: 'app', command: expect.stringContaining('exit 3') },
    ]);
  });

  it('runs update: a new commit by the user who ran it, the output in the activity log', async () => {
    const before = git(['--git-dir', repoPath, 'rev-parse', 'main'], ctx.server.dataDir);
    const started = await rawRequest<{ _embedded: { activities: ActivityBody[] } }>(ctx.server, `${base()}/source-operation`, { headers: bot.headers, json: { operation: 'update' } });
    expect(started.status).toBe(202);
    const done = await waitForActivityInProcess(ctx.server, projectId, started.body._embedded.activities[0]!.id, bot.headers);
    expect(done).toMatchObject({ type: 'environment.source-operation', result: 'success' });
    const log = await (await ctx.server.fetch(new Request(`${ctx.server.url}/projects/${projectId}/activities/${done.id}/log`, { headers: bot.headers }))).text();
    expect(log).toMatch(/updating in \S+ for main/);
    expect(log).toContain('Committed');

    const after = git(['--git-dir', repoPath, 'rev-parse', 'main'], ctx.server.dataDir);
    expect(after).not.toBe(before);
    expect(git(['--git-dir', repoPath, 'log', '-1', '--format=%an <%ae>|%s', 'main'], ctx.server.dataDir)).toBe(`bot-${kind} <bot-${kind}@example.com>|Source operation: update`);
    expect(git(['--git-dir', repoPath, 'show', 'main:VERSION'], ctx.server.dataDir)).toContain('hi from a variable');
    expect((await rawRequest(ctx.server, base(), { headers: admin.headers })).body).toMatchObject({ head_commit: after });
  });

  it('fails the activity on a failing command and commits nothing', async () => {
    const before = git(['--git-dir', repoPath, 'rev-parse', 'main'], ctx.server.dataDir);
    const started = await rawRequest<{ _embedded: { activities: ActivityBody[] } }>(ctx.server, `${base()}/source-operation`, { headers: admin.headers, json: { operation: 'broken' } });
    const done = await waitForActivityInProcess(ctx.server, projectId, started.body._embedded.activities[0]!.id, admin.headers);
    expect(done).toMatchObject({ result: 'failure', failure_reason: 'error' });
    const log = await (await ctx.server.fetch(new Request(`${ctx.server.url}/projects/${projectId}/activities/${done.id}/log`, { headers: admin.headers }))).text();
    expect(log).toContain('about to fail');
    expect(log).toContain('exited with status 3; nothing was committed');
    expect(git(['--git-dir', repoPath, 'rev-parse', 'main'], ctx.server.dataDir)).toBe(before);
  });

  it('keeps variable values out of the activity: names for its viewers, the values sealed for the run and gone after it', async () => {
    const secret = `op_secret_${Date.now()}`;
    const started = await rawRequest<{ _embedded: { activities: ActivityBody[] } }>(ctx.server, `${base()}/source-operation`, {
      headers: bot.headers,
      json: { operation: 'update', variables: { 'env:GREETING': secret } },
    });
    expect(started.status).toBe(202);
    const activity = started.body._embedded.activities[0]!;
    expect(activity.payload).toMatchObject({ variables: ['env:GREETING'] });
    const done = await waitForActivityInProcess(ctx.server, projectId, activity.id, bot.headers);
    expect(done).toMatchObject({ result: 'success', payload: { variables: ['env:GREETING'] } });
    // The run got the value: the operation wrote it into the commit.
    expect(git(['--git-dir', repoPath, 'show', 'main:VERSION'], ctx.server.dataDir)).toContain(secret);
    const seenByViewers = [
      started.body,
      done,
      (await rawRequest(ctx.server, `/projects/${projectId}/activities`, { headers: bot.headers })).body,
      (await rawRequest(ctx.server, `/projects/${projectId}/audit`, { headers: admin.headers })).body,
      await (await ctx.server.fetch(new Request(`${ctx.server.url}/projects/${projectId}/activities/${activity.id}/log`, { headers: bot.headers }))).text(),
    ];
    for (const seen of seenByViewers) expect(JSON.stringify(seen)).not.toContain(secret);
    expect(ctx.server.output()).not.toContain(secret);
    const [stored] = await databaseRows(ctx, 'select * from activities where id = ?', [activity.id]);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored).toMatchObject({ sealed_input: null });
  });

  it('refuses viewers and unknown operations', async () => {
    const viewer = await actorInProcess(ctx.server, `viewer-${kind}@example.com`);
    await grantInProcess(ctx.server, admin, projectId, viewer, ['viewer', 'production:viewer']);
    const denied = await rawRequest(ctx.server, `${base()}/source-operation`, { headers: viewer.headers, json: { operation: 'update' } });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ detail: { missing_permission: 'production:contributor' } });
    const unknown = await rawRequest(ctx.server, `${base()}/source-operation`, { headers: admin.headers, json: { operation: 'nope' } });
    expect(unknown.status).toBe(404);
    expect(String(unknown.body.message)).toContain('Defined: update, broken');
  });
});
