import { describe, expect, it } from 'vitest';
import { environmentBody, projectBody } from '../../testing/api-fixtures.js';
import { apiError, HttpMock, json } from '../../testing/httpmock.js';
import { runCommand } from '../../testing/run-command.js';

/** environment:info prints the selected environment; its errors are the selection's. */
function environmentInfo(args: string[], http = new HttpMock(), env: Record<string, string> = {}) {
  return runCommand(['environment:info', 'id', ...args], { http, env });
}

describe('project and environment selection', () => {
  it('without -p, PIER_PROJECT or a project directory says how to name the project', async () => {
    const run = await environmentInfo(['-e', 'main']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Could not determine the current project.\n\nSpecify it using --project, or go to a project directory.');
    expect(run.http.requests).toEqual([]);
  });

  it('without -e, PIER_BRANCH or a checkout says how to name the environment', async () => {
    const run = await environmentInfo(['-p', 'p1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No environment specified.\nSpecify one using --environment (-e), or go to a project directory.');
  });

  it('reads PIER_PROJECT and PIER_BRANCH; -p and -e win over them', async () => {
    const fromVariables = await environmentInfo(['-v'], new HttpMock().on('GET', '/projects/p1/environments/main', json(200, environmentBody())), { PIER_PROJECT: 'p1', PIER_BRANCH: 'main' });
    expect(fromVariables).toMatchObject({ code: 0, stdout: 'main\n' });
    expect(fromVariables.stderr).toContain('Project ID read from environment variable PIER_PROJECT: p1');

    const http = new HttpMock().on('GET', '/projects/p2/environments/dev', json(200, environmentBody('dev', { project: 'p2' })));
    const explicit = await environmentInfo(['-p', 'p2', '-e', 'dev'], http, { PIER_PROJECT: 'p1', PIER_BRANCH: 'main' });
    expect(explicit).toMatchObject({ code: 0, stdout: 'dev\n' });
    http.verify();
  });

  it('takes a project URL for -p, and "." for the default environment', async () => {
    const http = new HttpMock()
      .on('GET', '/projects/p1', json(200, projectBody({ default_branch: 'trunk' })))
      .on('GET', '/projects/p1/environments/trunk', json(200, environmentBody('trunk')));
    const run = await environmentInfo(['-p', 'https://console.pier.example.com/projects/p1/overview', '-e', '.'], http);
    expect(run).toMatchObject({ code: 0, stdout: 'trunk\n' });
    http.verify();
  });

  it('names a project or an environment that is not found', async () => {
    const noProject = await environmentInfo(['-p', 'gone', '-e', '.'], new HttpMock().on('GET', '/projects/gone', apiError(404, 'not_found', 'Not found')));
    expect(noProject.code).toBe(1);
    expect(noProject.stderr).toContain('Specified project not found: gone');

    const noEnvironment = await environmentInfo(['-p', 'p1', '-e', 'nope'], new HttpMock().on('GET', '/projects/p1/environments/nope', apiError(404, 'not_found', 'Not found')));
    expect(noEnvironment.code).toBe(1);
    expect(noEnvironment.stderr).toContain('Specified environment not found: nope');
  });

  it('a project the caller may not see is exit 6; without credentials, exit 3 with how to log in', async () => {
    const hidden = await environmentInfo(['-p', 'p1', '-e', 'main'], new HttpMock().on('GET', '/projects/p1/environments/main', apiError(403, 'forbidden', 'No access to this project')));
    expect(hidden.code).toBe(6);
    expect(hidden.stderr).toContain('Permission denied: No access to this project');

    const loggedOut = await runCommand(['environment:info', '-p', 'p1', '-e', 'main'], { env: { PIER_CLI_TOKEN: undefined } });
    expect(loggedOut.code).toBe(3);
    expect(loggedOut.stderr).toContain('Authentication is required.');
    expect(loggedOut.stderr).toContain('pier auth:api-token-login');
  });
});
