import { describe, expect, it } from 'vitest';
import { activityBody, environmentBody } from '../../testing/api-fixtures.js';
import { apiError, empty, HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

function cancellable(id: string, text: string) {
  const self = `http://pier.test/projects/p1/activities/${id}`;
  return activityBody({ id, text, state: 'in_progress', _links: { self: { href: self }, '#cancel': { href: `${self}/cancel`, method: 'POST' } } });
}

function listing(...activities: ReturnType<typeof activityBody>[]): HttpMock {
  return new HttpMock()
    .on('GET', '/projects/p1/environments/main', json(200, environmentBody()))
    .on('GET', '/projects/p1/environments/main/activities', json(200, activities));
}

describe('activity:cancel', () => {
  it('cancels an activity by id through its #cancel link', async () => {
    const http = new HttpMock().on('GET', '/projects/p1/activities/a1', json(200, cancellable('a1', 'Backup'))).on('POST', '/projects/p1/activities/a1/cancel', empty(200));
    const run = await runCommand(['activity:cancel', 'a1', '-p', 'p1'], { http });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('The activity was successfully cancelled.\n');
    http.verify();
  });

  it('names the state of an activity that has ended', async () => {
    const http = new HttpMock().on('GET', '/projects/p1/activities/a1', json(200, activityBody({ id: 'a1', state: 'complete', result: 'success' })));
    const run = await runCommand(['activity:cancel', 'a1', '-p', 'p1'], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The activity cannot be cancelled in its current state (complete).');
    http.verify();
  });

  it('without the link asks the server anyway, which names the missing permission (exit 6)', async () => {
    const http = new HttpMock()
      .on('GET', '/projects/p1/activities/a1', json(200, activityBody({ id: 'a1', state: 'pending' })))
      .on('POST', '/projects/p1/activities/a1/cancel', apiError(403, 'forbidden', 'You may not cancel this activity', { missing_permission: 'environment:cancel_activity' }));
    const run = await runCommand(['activity:cancel', 'a1', '-p', 'p1'], { http });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('Missing permission: environment:cancel_activity');
    http.verify();
  });

  it('without an id and nothing to cancel says so', async () => {
    const http = listing(activityBody({ id: 'a9', state: 'pending' }));
    const run = await runCommand(['activity:cancel', '-p', 'p1', '-e', 'main'], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No cancellable activities found');
    expect(http.requests.at(-1)?.query.getAll('state')).toEqual(['pending', 'in_progress']);
    http.verify();
  });

  it('with several, asks which one on a terminal, and takes the most recent otherwise', async () => {
    const activities = [cancellable('a2', 'Newest'), cancellable('a1', 'Older')];
    const asked = listing(...activities).on('POST', '/projects/p1/activities/a1/cancel', empty(200));
    const chosen = await runCommand(['activity:cancel', '-p', 'p1', '-e', 'main'], { http: asked, tty: true, input: '2\n' });
    expect(chosen.code).toBe(0);
    expect(chosen.stderr).toContain('  [1] a2: Newest (in progress)\n  [2] a1: Older (in progress)\nEnter a number to choose an activity to cancel [1]:');
    asked.verify();

    const defaulted = listing(...activities).on('POST', '/projects/p1/activities/a2/cancel', empty(200));
    expect((await runCommand(['activity:cancel', '-p', 'p1', '-e', 'main'], { http: defaulted })).code).toBe(0);
    defaulted.verify();

    const invalid = await runCommand(['activity:cancel', '-p', 'p1', '-e', 'main'], { http: listing(...activities), tty: true, input: '7\n' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('Invalid choice: 7');
  });
});
