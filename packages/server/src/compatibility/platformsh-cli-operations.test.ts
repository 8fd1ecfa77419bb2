/**
 * Contract test: the Platform.sh CLI's variable, backup, activity and source-operation request
 * sequences (shared/research/platformsh-cli-wire.md) against a real pier-server under the
 * `platformsh` profile, with a repository holding a Platform.sh `.platform.app.yaml`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess } from '../../../../test-support/in-process-actors.js';
import { commitToRepository } from '../../../../test-support/repositories.js';
import { PlatformshClient, formatStartsAt, type Json } from '../../../../test-support/platformsh-client.js';

/** Tests that wait for activities (run by the in-process worker) on a possibly loaded machine. */
const WAITS_FOR_WORK = 120_000;

const appConfig = `name: app
source:
  operations:
    update:
      command: |
        echo "$GREETING" > greeting.txt
    slow:
      command: sleep 30
`;

describe.each(databaseKinds())('the Platform.sh CLI against Pier: variables, backups, activities (%s)', (kind) => {
  const ctx = useInProcessServer(kind, { env: { PIER_VENDOR: 'platformsh' }, worker: true });
  let projectId: string;
  let cli: PlatformshClient;

  async function finished(activity: Json): Promise<Json> {
    for (let i = 0; i < 600; i++) {
      const current = await cli.get(cli.link(activity, 'self'));
      if (current.completion_percent >= 100 || current.state === 'cancelled') return current;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`activity ${activity.id} did not finish`);
  }

  beforeAll(async () => {
    const owner = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectInProcess(ctx.server, owner, 'Operations');
    // As arrangeProjectCode does: asking for the project's code makes its repository.
    await rawRequest(ctx.server, `/projects/${projectId}/environments/main/source-operations`, { headers: owner.headers });
    commitToRepository(ctx.server, projectId, 'main', { '.platform.app.yaml': appConfig });
    cli = new PlatformshClient(ctx.server.url, ctx.server);
    expect((await cli.login(await createApiToken(ctx.server, ADMIN_EMAIL, 'platform-cli'))).status).toBe(200);
  }, WAITS_FOR_WORK);

  it('variable:create, the seed line: two 404 lookups, then a POST to #manage-variables answered with the entity', async () => {
    const { environment } = await cli.environment(projectId, 'main');
    const item = `${cli.link(environment, '#variables')}/${encodeURIComponent('env:PLATFORMSH_CLI_TOKEN')}`;
    for (let i = 0; i < 2; i++) expect((await cli.call('GET', item)).status).toBe(404);
    const body = { application_scope: [], name: 'env:PLATFORMSH_CLI_TOKEN', value: 'pier_secret', is_json: false, is_sensitive: true, is_enabled: true, is_inheritable: false, visible_build: true };
    const created = await cli.call<Json>('POST', cli.link(environment, '#manage-variables'), body);
    expect(created.status).toBe(201);
    expect(created.body._embedded.entity).toMatchObject({ name: 'env:PLATFORMSH_CLI_TOKEN', is_sensitive: true, is_inheritable: false, visible_build: true });
    expect(created.body._embedded.entity).not.toHaveProperty('value');
    expect(Array.isArray(created.body._embedded.activities)).toBe(true);
    expect((await cli.call('POST', cli.link(environment, '#manage-variables'), body)).status).toBe(409);
  }, WAITS_FOR_WORK);

  it('variable:list, get, update and delete through #variables and the variable links', async () => {
    const { environment } = await cli.environment(projectId, 'main');
    await cli.call('POST', cli.link(environment, '#manage-variables'), { name: 'GREETING', value: 'hello' });
    const list = await cli.get<Json[]>(cli.link(environment, '#variables'));
    expect(list.find((v) => v.name === 'env:PLATFORMSH_CLI_TOKEN')).not.toHaveProperty('value');
    const variable = await cli.get(`${cli.link(environment, '#variables')}/GREETING`);
    expect(variable.value).toBe('hello');
    const updated = await cli.call<Json>('PATCH', cli.link(variable, '#edit'), { value: 'bonjour' });
    expect(updated.body._embedded.entity.value).toBe('bonjour');
    expect((await cli.call('DELETE', cli.link(variable, '#delete'))).status).toBeLessThan(300);
    expect((await cli.call('GET', cli.link(variable, 'self'))).status).toBe(404);
  }, WAITS_FOR_WORK);

  it('backup:create --yes --no-wait, backup:list, backup:get and backup:restore', async () => {
    const { environment } = await cli.environment(projectId, 'main');
    const created = await cli.call<Json>('POST', cli.link(environment, '#backup'), { safe: true });
    expect(created.status).toBe(202);
    const activity = created.body._embedded.activities[0];
    expect(activity.payload.backup_name).toEqual(expect.any(String));
    expect(await finished(activity)).toMatchObject({ result: 'success' });
    const backups = await cli.get<Json[]>(cli.link(environment, 'backups'));
    expect(backups[0]).toMatchObject({ id: activity.payload.backup_name, status: 'CREATED', restorable: true });
    const backup = await cli.get(cli.link(backups[0]!, 'self'));
    const restore = await cli.call<Json>('POST', cli.link(backup, '#restore'), {});
    expect(restore.status).toBe(202);
    expect(await finished(restore.body._embedded.activities[0])).toMatchObject({ type: 'environment.restore', result: 'success' });
  }, WAITS_FOR_WORK);

  it('activity:list pages with an unencoded starts_at; activity:get and activity:log', async () => {
    const { environment } = await cli.environment(projectId, 'main');
    const first = await cli.activities(environment, 2);
    expect(first).toHaveLength(2);
    for (const activity of first) expect(activity).toMatchObject({ id: expect.any(String), created_at: expect.any(String), text: expect.any(String), completion_percent: expect.any(Number), state: expect.any(String) });
    const next = await cli.activities(environment, 2, formatStartsAt(first[1]!.created_at));
    expect(next[0]!.id).toBe(first[1]!.id); // "at or before": the CLI de-duplicates by id
    // --exclude-type cron: every other known type (about 70) as a repeated `type=`.
    const otherTypes = Array.from({ length: 70 }, (_, i) => `type=environment.kind-${i}`).concat('type=environment.backup').join('&');
    const filtered = await cli.get<Json[]>(`${cli.link(environment, 'self')}/activities?${otherTypes}&count=10`);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((a) => a.type === 'environment.backup')).toBe(true);
    const activity = await cli.get(`${cli.link(environment, 'self')}/activities/${first[0]!.id}`);
    const log = await cli.call('GET', cli.link(activity, 'log'));
    const lines = String(typeof log.body === 'string' ? log.body : JSON.stringify(log.body)).trim().split('\n').map((line) => JSON.parse(line) as Json);
    expect(lines.at(-1)).toEqual({ seal: true });
    for (const line of lines.slice(0, -1)) expect(line).toMatchObject({ _id: expect.anything(), data: { timestamp: expect.any(String), message: expect.any(String) } });
  }, WAITS_FOR_WORK);

  it('source-operation:list and source-operation:run with prefixed variables', async () => {
    const { environment } = await cli.environment(projectId, 'main');
    const operations = await cli.get<Json[]>(cli.link(environment, '#source-operations'));
    expect(operations).toContainEqual(expect.objectContaining({ operation: 'update', app: 'app', command: expect.any(String) }));
    const run = await cli.call<Json>('POST', cli.link(environment, '#source-operation'), { operation: 'update', variables: { env: { GREETING: 'hi' } } });
    expect(run.status).toBe(202);
    expect(await finished(run.body._embedded.activities[0])).toMatchObject({ type: 'environment.source-operation', result: 'success' });
  }, WAITS_FOR_WORK);

  it('activity:cancel through the activity #cancel link', async () => {
    const { environment } = await cli.environment(projectId, 'main');
    const run = await cli.call<Json>('POST', cli.link(environment, '#source-operation'), { operation: 'slow', variables: {} });
    const activity = await cli.get(cli.link(run.body._embedded.activities[0], 'self'));
    expect((await cli.call('POST', cli.link(activity, '#cancel'))).status).toBe(200);
    expect(await finished(activity)).toMatchObject({ state: 'cancelled' });
  }, WAITS_FOR_WORK);
});
