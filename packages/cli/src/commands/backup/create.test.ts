import { describe, expect, it } from 'vitest';
import { activityBody, environmentBody, longOperationBody } from '../../testing/api-fixtures.js';
import { apiError, HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

const backupActivity = activityBody({ payload: { backup_name: 'bk-1' } });

function environmentOnly(environment = environmentBody('main', {}, ['#backup'])): HttpMock {
  return new HttpMock().on('GET', '/projects/p1/environments/main', json(200, environment));
}

describe('backup:create', () => {
  it('refuses an inactive environment before asking or sending anything', async () => {
    const http = environmentOnly(environmentBody('main', { status: 'inactive' }, ['#backup']));
    const run = await runCommand(['backup:create', '-p', 'p1', '-e', 'main', '--yes'], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Operation not available: cannot create a backup of main\nThe environment is not active.');
    http.verify();
  });

  it('stops with "Cancelled." when the question is answered no', async () => {
    const http = environmentOnly();
    const run = await runCommand(['backup:create', '-p', 'p1', '-e', 'main'], { http, tty: true, input: 'n\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Are you sure you want to continue? [Y/n]');
    expect(run.stderr).toContain('Cancelled.');
    http.verify();
  });

  it('with --yes follows the #backup link, prints the backup name and, with --no-wait, how to follow it', async () => {
    const http = environmentOnly().on('POST', '/projects/p1/environments/main/backup', json(202, longOperationBody(backupActivity)));
    const run = await runCommand(['backup:create', '-p', 'p1', '-e', 'main', '--yes', '--no-wait'], { http });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Backup name: bk-1\n');
    expect(run.stderr).toContain('Are you sure you want to continue? [Y/n] y');
    expect(run.stderr).toContain('Activity ID: act-1\nFollow it with: pier activity:log act-1 -p p1');
    expect(http.requests.at(-1)?.body).toEqual({ safe: true });
    expect(http.requests.at(-1)?.headers.get('authorization')).toMatch(/^Bearer /);
    http.verify();
  });

  it('asks for a live backup with --live (and the deprecated --unsafe)', async () => {
    for (const flag of ['--live', '--unsafe']) {
      const http = environmentOnly().on('POST', '/projects/p1/environments/main/backup', json(202, longOperationBody(backupActivity)));
      const run = await runCommand(['backup:create', '-p', 'p1', '-e', 'main', flag, '--no-interaction', '-W'], { http });
      expect(run.code).toBe(0);
      expect(http.requests.at(-1)?.body).toEqual({ safe: false });
      http.verify();
    }
  });

  it('without the #backup link lets the server name the missing permission (exit 6)', async () => {
    const http = environmentOnly(environmentBody('main')).on(
      'POST',
      '/projects/p1/environments/main/backup',
      apiError(403, 'forbidden', 'You may not back up this environment', { missing_permission: 'environment:backup' }),
    );
    const run = await runCommand(['backup:create', '-p', 'p1', '-e', 'main', '--yes', '-W'], { http });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('Permission denied: You may not back up this environment\nMissing permission: environment:backup');
    http.verify();
  });

  it('names a missing environment', async () => {
    const http = new HttpMock()
      .on('GET', '/projects/p1/environments/nope', apiError(404, 'not_found', 'Not found'));
    const run = await runCommand(['backup:create', 'nope', '-p', 'p1', '--yes'], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Specified environment not found: nope');
    http.verify();
  });

  it('waits for the activity with its log; a failed backup exits 1 after the result line', async () => {
    const started = { ...backupActivity, _links: { self: { href: 'http://pier.test/projects/p1/activities/act-1' }, log: { href: 'http://pier.test/projects/p1/activities/act-1/log' } } };
    for (const result of ['success', 'failure'] as const) {
      const http = environmentOnly()
        .on('POST', '/projects/p1/environments/main/backup', json(202, longOperationBody(started)))
        .on('GET', '/projects/p1/activities/act-1/log', () => new Response('{"_id":"0","data":{"timestamp":"t","message":"Backing up"}}\n{"seal":true}\n'))
        .on('GET', '/projects/p1/activities/act-1', json(200, { ...started, state: 'complete', result, completion_percent: 100 }));
      const run = await runCommand(['backup:create', '-p', 'p1', '-e', 'main', '--yes'], { http });
      // Not a terminal: a waiting run says how not to wait.
      expect(run.stderr).toContain('Warning: use the --no-wait (-W) option if you are running this in a cron job.');
      expect(run.stderr).toContain('Waiting for the activity act-1 (Alice created a backup of main):\nBacking up\n');
      if (result === 'success') {
        expect(run.code).toBe(0);
        expect(run.stderr).toContain('The activity succeeded: [act-1] Alice created a backup of main');
      } else {
        expect(run.code).toBe(1);
        expect(run.stderr.trimEnd().endsWith('The activity failed: [act-1] Alice created a backup of main')).toBe(true);
      }
      http.verify();
    }
  });
});
