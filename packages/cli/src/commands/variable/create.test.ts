import { describe, expect, it } from 'vitest';
import { environmentBody } from '../../testing/api-fixtures.js';
import { apiError, HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

const plain = { id: 'plain', name: 'plain', value: 'v1', is_json: false, is_sensitive: false, visible_build: false, visible_runtime: true, is_enabled: true, is_inheritable: true, inherited: false };

function environmentMain(): HttpMock {
  return new HttpMock().on('GET', '/projects/p1/environments/main', json(200, environmentBody()));
}

/** The environment, no variable of that name yet, then the created one echoed back. */
function creation(name: string, created: Record<string, unknown>): HttpMock {
  return environmentMain()
    .on('GET', `/projects/p1/environments/main/variables/${encodeURIComponent(name)}`, apiError(404, 'not_found', 'Not found'))
    .on('POST', '/projects/p1/environments/main/variables', json(201, { _embedded: { entity: { ...plain, ...created } } }));
}

describe('variable:create', () => {
  // Moved here from e2e/variable-commands.test.ts: each is refused by the CLI before any request
  // (the e2e test compared the server's variables before and after). The names the server
  // refuses in its own words stay there.
  it.each([
    [['--name', 'x', '--value', 'y'], '--level is required'],
    [['-l', 'x', '--name', 'x', '--value', 'y'], "Invalid value for '--level': x (expected project or environment)"],
    [['-l', 'e', '--name', 'x', '--value', 'y', '--sensitive', 'maybe'], "Invalid value for '--sensitive': maybe (expected 1, 0, true, or false)"],
    [['-l', 'project', '--name', 'x', '--value', 'y', '--inheritable', 'false'], 'The option --inheritable can only be used for variables at the environment level, not at the project level.'],
    [['-l', 'project', '--name', 'x', '--value', 'y', '--enabled', 'true'], 'The option --enabled can only be used for variables at the environment level, not at the project level.'],
    [['-l', 'e', '--name', 'x'], '--value is required'],
    [['-l', 'e', 'x', '--name', 'x', '--value', 'y'], 'You cannot use both the <name> argument and the --name option.'],
    [['-l', 'e', '--name', '', '--value', 'y'], 'The variable name must not be empty.'],
    [['-l', 'e', '--name', 'has space', '--value', 'y'], 'The variable name must not contain spaces.'],
    [['-l', 'e', '--prefix', 'env', '--name', '1ABC', '--value', 'y'], 'The environment variable name "1ABC" is invalid'],
    [['-l', 'e', '--name', 'data', '--json', 'true', '--value', '{not json'], "Invalid value for '--value': the value is not valid JSON (--json is true)."],
  ])('refuses %j with exit 1 before any request', async (args, message) => {
    const run = await runCommand(['variable:create', '-p', 'p1', '-e', 'main', '--no-interaction', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.http.requests).toEqual([]);
  });

  it('refuses a variable that exists, naming the command that updates it, writing nothing', async () => {
    const http = environmentMain().on('GET', '/projects/p1/environments/main/variables/plain', json(200, plain));
    const run = await runCommand(['variable:create', '-p', 'p1', '-e', 'main', '-l', 'e', '--name', 'plain', '--value', 'other'], { http });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The variable already exists: plain\n\nTo update the variable, use: pier variable:update plain');
    expect(run.stderr).not.toContain('HTTP 4');
    http.verify();
  });

  it('sends every field, with the CLI default of no build visibility at environment level', async () => {
    const http = creation('env:TOKEN', { name: 'env:TOKEN', is_sensitive: true, value: undefined });
    const run = await runCommand(['variable:create', '-p', 'p1', '-e', 'main', '-l', 'e', '--prefix', 'env', '--name', 'TOKEN', '--sensitive', 'yes', '--value', 's3cret-value', '--inheritable', '0'], { http });
    expect(run.code).toBe(0);
    expect(http.requests.at(-1)?.body).toEqual({
      name: 'env:TOKEN',
      value: 's3cret-value',
      is_json: false,
      is_sensitive: true,
      visible_build: false,
      visible_runtime: true,
      is_enabled: true,
      is_inheritable: false,
    });
    expect(run.stderr).toContain('Creating variable env:TOKEN on the environment main');
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cret-value');
    http.verify();
  });

  it('on a terminal asks for the level (again after a wrong answer), the name and the value', async () => {
    const http = creation('asked', { name: 'asked', value: 'typed in' });
    const run = await runCommand(['variable:create', '-p', 'p1', '-e', 'main'], {
      http,
      tty: true,
      answers: { 'Enter a level:': ['sideways', 'env'], 'Name (--name):': 'asked', 'Value (--value):': 'typed in' },
    });
    expect(run.stderr).toContain('Level (--level):\n  [project]     Project-wide\n  [environment] Environment-specific');
    expect(run.stderr).toContain("Invalid value for '--level': sideways");
    expect(run.code).toBe(0);
    expect(http.requests.at(-1)?.body).toMatchObject({ name: 'asked', value: 'typed in', visible_build: false });
    http.verify();
  });

  it('a refusal by the server names the missing permission (exit 6)', async () => {
    const http = environmentMain()
      .on('GET', '/projects/p1/environments/main/variables/x', apiError(404, 'not_found', 'Not found'))
      .on('POST', '/projects/p1/environments/main/variables', apiError(403, 'forbidden', 'You may not change variables here', { missing_permission: 'environment:variables' }));
    const run = await runCommand(['variable:create', '-p', 'p1', '-e', 'main', '-l', 'e', '--name', 'x', '--value', 'y'], { http });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('Permission denied');
    http.verify();
  });
});
