import { describe, expect, it } from 'vitest';
import { activityBody, longOperationBody } from '../../testing/api-fixtures.js';
import { apiError, HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

const operations = [{ app: 'app', operation: 'update', command: 'composer update' }, { app: 'app', operation: 'rebuild', command: 'make' }];
const listing = () => new HttpMock().on('GET', '/projects/p1/environments/main/source-operations', json(200, operations));

describe('source-operation:run', () => {
  it('refuses a malformed --variable before any request', async () => {
    const run = await runCommand(['source-operation:run', 'update', '-p', 'p1', '-e', 'main', '--variable', 'FOO=bar']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Variables must be defined as type:name=value.');
    expect(run.http.requests).toEqual([]);
  });

  it('without an operation lists the available ones; an unknown one is named', async () => {
    const missing = await runCommand(['source-operation:run', '-p', 'p1', '-e', 'main'], { http: listing() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('The operation argument is required in non-interactive mode.\nAvailable operations: update, rebuild');

    const unknown = await runCommand(['source-operation:run', 'deploy', '-p', 'p1', '-e', 'main'], { http: listing() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('The source operation deploy was not found on the environment main.');
  });

  it('says when the environment has no source operations', async () => {
    const http = new HttpMock().on('GET', '/projects/p1/environments/main/source-operations', json(200, []));
    const run = await runCommand(['source-operation:run', 'update', '-p', 'p1', '-e', 'main'], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No source operations were found on the environment.');
  });

  it('starts the operation with its variables and, with --no-wait, says how to follow it', async () => {
    const http = listing().on('POST', '/projects/p1/environments/main/source-operation', json(202, longOperationBody(activityBody({ id: 'so-1', type: 'environment.source-operation' }))));
    const run = await runCommand(['source-operation:run', 'update', '-p', 'p1', '-e', 'main', '--variable', 'env:FOO=bar', '--no-wait'], { http });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Running source operation update\nActivity ID: so-1\nFollow it with: pier activity:log so-1 -p p1');
    expect(run.stderr).not.toContain('git pull');
    expect(http.requests.at(-1)?.body).toEqual({ operation: 'update', variables: { 'env:FOO': 'bar' } });
    http.verify();
  });

  it('a refusal by the server names the missing permission (exit 6)', async () => {
    const http = listing().on('POST', '/projects/p1/environments/main/source-operation', apiError(403, 'forbidden', 'Not allowed', { missing_permission: 'environment:source_operation' }));
    const run = await runCommand(['source-operation:run', 'update', '-p', 'p1', '-e', 'main', '-W'], { http });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('Missing permission: environment:source_operation');
    http.verify();
  });
});
