import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { request } from '../../../../test-support/http.js';
import { ADMIN_EMAIL, createApiToken } from '../../../../test-support/pier-server.js';
import { actor, grant, type TestActor } from '../../../../test-support/actors.js';
import { runCli as runInProcess } from '../main.js';
import { vendorProfile } from '../lib/vendor-profile.js';
import { useCliServer } from '../testing/cli-server.js';
import { binaries, ciEnv, logSettled, runCli, tempDir, type CliResult } from '../testing/run-cli.js';

/**
 * variable:* against a real server, run as a CI job would (project from PIER_PROJECT, answers
 * from --yes or the non-interactive defaults), each change checked through the API.
 */
const cli = useCliServer({ project: 'Variables' });
let admin: TestActor;
let adminEnv: Record<string, string | undefined>;

beforeAll(async () => {
  admin = await actor(cli.server, ADMIN_EMAIL, { existing: true });
  adminEnv = ciEnv(cli.server, { PIER_CLI_TOKEN: cli.adminToken, PIER_PROJECT: cli.projectId });
  expect((await pier('environment:branch', 'feature-a', 'main')).code).toBe(0);
});

const pier = (...args: string[]): Promise<CliResult> => runCli(args, { env: adminEnv });

type ApiVariable = Record<string, unknown> & { name: string };

async function envVariable(name: string, environment = 'main'): Promise<{ status: number; body: ApiVariable }> {
  return request<ApiVariable>(`${cli.server.url}/projects/${cli.projectId}/environments/${environment}/variables/${encodeURIComponent(name)}`, { headers: admin.headers });
}

async function projectVariable(name: string): Promise<{ status: number; body: ApiVariable }> {
  return request<ApiVariable>(`${cli.server.url}/projects/${cli.projectId}/variables/${encodeURIComponent(name)}`, { headers: admin.headers });
}

/** Every variable at both levels, as the API stores them: for "nothing changed" checks. */
async function snapshot(): Promise<string> {
  const [project, main] = await Promise.all([
    request(`${cli.server.url}/projects/${cli.projectId}/variables`, { headers: admin.headers }),
    request(`${cli.server.url}/projects/${cli.projectId}/environments/main/variables`, { headers: admin.headers }),
  ]);
  return JSON.stringify([project.body, main.body]);
}

describe('variable:create', () => {
  it('variable:list with nothing to list says so and exits 1', async () => {
    const result = await pier('variable:list', '-e', 'main');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('No variables found.');
  });

  it("takes the seed's exact command: a sensitive, non-inheritable env: variable visible at build time", async () => {
    const token = await createApiToken(cli.server, ADMIN_EMAIL, 'for-cron');
    const result = await pier(
      'variable:create', '-e', 'main', '--level', 'environment', '--prefix', 'env', '--name', 'PIER_CLI_TOKEN',
      '--sensitive', 'true', '--value', token, '--inheritable', 'false', '--visible-build', 'true', '--no-interaction',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Creating variable env:PIER_CLI_TOKEN on the environment main');
    expect(result.stdout).toContain('[Hidden: sensitive value]');
    expect(result.stdout + result.stderr).not.toContain(token);
    const stored = await envVariable('env:PIER_CLI_TOKEN');
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ is_sensitive: true, is_inheritable: false, visible_build: true, visible_runtime: true, is_enabled: true, is_json: false, inherited: false });
    expect(stored.body).not.toHaveProperty('value');
    expect(await snapshot()).not.toContain(token);
    // Not inheritable: the child environment does not see it.
    expect((await envVariable('env:PIER_CLI_TOKEN', 'feature-a')).status).toBe(404);
  });

  it('defaults at environment level: build-invisible (the CLI default), the rest as the API', async () => {
    const result = await pier('variable:create', '-e', 'main', '-l', 'e', '--name', 'plain', '--value', 'v1');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\| value +\| v1 +\|/);
    expect((await envVariable('plain')).body).toMatchObject({
      name: 'plain', value: 'v1', is_json: false, is_sensitive: false, visible_build: false, visible_runtime: true,
      is_enabled: true, is_inheritable: true, application_scope: [],
    });
  });

  it('defaults at project level: visible at build and runtime', async () => {
    const result = await pier('variable:create', '--level', 'p', 'api_url', '--value', 'https://api.example.com');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Creating variable api_url on the project Variables (${cli.projectId})`);
    expect((await projectVariable('api_url')).body).toMatchObject({ value: 'https://api.example.com', is_json: false, is_sensitive: false, visible_build: true, visible_runtime: true });
  });

  it('sets every field, booleans given as yes/no/1/0/y/n', async () => {
    const result = await pier(
      'variable:create', '-e', 'main', '-l', 'environment', '--name', 'config', '--prefix', 'none', '--json', 'true', '--value', '{"debug": true}',
      '--visible-build', 'yes', '--visible-runtime', 'n', '--enabled', '0', '--inheritable', 'no', '--app-scope', 'web', '--app-scope', 'worker',
    );
    expect(result.code).toBe(0);
    expect((await envVariable('config')).body).toMatchObject({
      value: '{"debug": true}', is_json: true, visible_build: true, visible_runtime: false, is_enabled: false, is_inheritable: false, application_scope: ['web', 'worker'],
    });
    expect((await pier('variable:create', '-l', 'e', '-e', 'main', '--prefix', 'env', '--name', 'php:memory_limit', '--value', '256M')).code).toBe(0);
    expect((await envVariable('php:memory_limit')).status).toBe(200); // a name with a prefix keeps it
  });

  // The CLI's own refusals (level, booleans, names, JSON, an existing variable) are tested
  // without a server in commands/variable/create.test.ts; these names the server refuses.
  it.each([
    [['-l', 'e', '--name', ':FOO', '--value', 'y'], 'The variable name ":FOO" has an empty prefix or name.'],
    [['-l', 'e', '--prefix', 'b@d', '--name', 'FOO', '--value', 'y'], 'The prefix of "b@d:FOO" may only contain letters, digits, ".", "_" and "-".'],
  ])('refuses %j with exit 1 and a clear message, changing nothing', async (args, message) => {
    const before = await snapshot();
    const result = await pier('variable:create', '-e', 'main', '--no-interaction', ...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('HTTP 4');
    expect(await snapshot()).toBe(before);
  });

  it('-u updates an existing variable instead', async () => {
    const result = await pier('variable:create', '-e', 'main', '-l', 'e', '--name', 'plain', '--value', 'v2', '-u');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Variable plain updated');
    expect((await envVariable('plain')).body.value).toBe('v2');
  });

  it('a machine user without admin rights on the environment is refused with exit 6', async () => {
    const robot = await actor(cli.server, 'robot@example.com');
    await grant(cli.server, admin, cli.projectId, robot, ['viewer', 'development:contributor']);
    const robotEnv = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, 'robot@example.com', 'ci'), PIER_PROJECT: cli.projectId });
    const result = await runCli(['variable:create', '-e', 'feature-a', '-l', 'e', '--name', 'x', '--value', 'y'], { env: robotEnv });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('Permission denied');
    // Contributors list what their environment sees (here inherited from main).
    const listed = await runCli(['variable:list', '-e', 'feature-a', '-l', 'e', '--format', 'csv', '-c', 'name,value'], { env: robotEnv });
    expect(listed.stderr).toBe('');
    expect(listed).toMatchObject({ code: 0, stdout: 'Name,Value\nphp:memory_limit,256M\nplain,v2\n' });
    // Project variables reach production, which this user cannot view: both levels list the environment's alone.
    const both = await runCli(['variable:list', '-e', 'feature-a', '--format', 'csv', '-c', 'name,level'], { env: robotEnv });
    expect(both).toMatchObject({ code: 0, stdout: 'Name,Level\nphp:memory_limit,environment\nplain,environment\n' });
    expect(both.stderr).toContain('Project variables are left out');
    expect((await runCli(['variable:list', '-l', 'p'], { env: robotEnv })).code).toBe(6);
  });
});

describe('variable:list and variable:get', () => {
  it('lists both levels in every format, sensitive values hidden', async () => {
    const table = await pier('variables', '-e', 'main');
    expect(table.code).toBe(0);
    expect(table.stderr).toContain(`Variables on the project Variables (${cli.projectId}), environment main:`);
    expect(table.stdout.split('\n')[1]).toMatch(/^\| Name +\| Level +\| Value +\| Enabled +\|$/);
    expect(table.stdout).toMatch(/\| env:PIER_CLI_TOKEN +\| environment +\| \[Hidden: sensitive value\] +\| true +\|/);
    expect(table.stdout).toMatch(/\| api_url +\| project +\| https:\/\/api\.example\.com +\| +\|/);
    const csv = (await pier('var', '-e', 'main', '--format', 'csv')).stdout;
    expect(csv.split('\n')[0]).toBe('Name,Level,Value,Enabled');
    expect(csv).toContain('api_url,project,https://api.example.com,\n');
    expect(csv).toContain('env:PIER_CLI_TOKEN,environment,,true\n');
    expect((await pier('variable:list', '-e', 'main', '--format', 'tsv', '--no-header', '-c', 'name,value', '-l', 'e')).stdout).toContain('env:PIER_CLI_TOKEN\t\n');
    const plain = (await pier('variable:list', '-e', 'main', '--format', 'plain', '-c', 'name,is_sensitive,inherited')).stdout;
    expect(plain).toContain('env:PIER_CLI_TOKEN\ttrue\tfalse\n');
    const rows = JSON.parse((await pier('variable:list', '-e', 'main', '--format', 'json')).stdout) as Record<string, unknown>[];
    expect(rows).toContainEqual({ name: 'env:PIER_CLI_TOKEN', level: 'environment', value: null, is_enabled: true });
    expect(rows).toContainEqual({ name: 'plain', level: 'environment', value: 'v2', is_enabled: true });
    // Without an environment, the project's alone; -l environment needs one.
    expect((await pier('variable:list', '--format', 'csv', '--no-header', '-c', 'name')).stdout).toBe('api_url\n');
    expect((await pier('variable:list', '-l', 'e')).stderr).toContain('No environment specified.');
  });

  it('shows inherited variables in a child environment', async () => {
    const child = (await pier('variable:list', '-e', 'feature-a', '-l', 'e', '--format', 'csv', '-c', 'name,value,inherited')).stdout;
    expect(child).toContain('plain,v2,true\n');
    expect(child).not.toContain('PIER_CLI_TOKEN'); // not inheritable
  });

  it('get prints the properties or one of them; a sensitive value cannot be read', async () => {
    expect((await pier('variable:get', 'plain', '-e', 'main', '-P', 'value')).stdout).toBe('v2\n');
    expect((await pier('vget', 'env:PIER_CLI_TOKEN', '-e', 'main', '-P', 'is_sensitive')).stdout).toBe('true\n');
    const sensitive = await pier('variable:get', 'env:PIER_CLI_TOKEN', '-e', 'main', '-P', 'value');
    expect(sensitive).toMatchObject({ code: 1, stdout: '' });
    expect(sensitive.stderr).toContain('The variable is sensitive, so its value cannot be read.');
    const table = await pier('variable:get', 'env:PIER_CLI_TOKEN', '-e', 'main');
    expect(table.stdout).toMatch(/\| value +\| \[Hidden: sensitive value\] +\|/);
    expect(table.stdout).toMatch(/\| level +\| environment +\|/);
    const json = JSON.parse((await pier('variable:get', 'env:PIER_CLI_TOKEN', '-e', 'main', '--format', 'json')).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'env:PIER_CLI_TOKEN', value: null, is_sensitive: true });
    expect((await pier('variable:get', 'nope', '-e', 'main')).stderr).toContain('Variable not found: nope');
  });

  it('a name at both levels needs --level', async () => {
    expect((await pier('variable:create', '-l', 'p', '--name', 'shared', '--value', 'from-project')).code).toBe(0);
    expect((await pier('variable:create', '-l', 'e', '-e', 'main', '--name', 'shared', '--value', 'from-main')).code).toBe(0);
    const both = await pier('variable:get', 'shared', '-e', 'main');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("Variable found at both project and environment levels: shared\nTo select a variable, use the --level option ('project' or 'environment').");
    expect((await pier('variable:get', 'shared', '-e', 'main', '-l', 'project', '-P', 'value')).stdout).toBe('from-project\n');
    expect((await pier('variable:get', 'shared', '-e', 'main', '-l', 'e', '-P', 'value')).stdout).toBe('from-main\n');
  });
});

describe('variable:update and variable:delete', () => {
  it('PATCHes only the options that changed', async () => {
    const result = await pier('variable:update', 'plain', '-e', 'main', '--value', 'v3', '--visible-build', 'false', '--visible-runtime', 'true', '-vvv');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('> {"value":"v3"}');
    expect(result.stderr).toContain('Variable plain updated');
    expect((await envVariable('plain')).body).toMatchObject({ value: 'v3', visible_build: false });
    expect((await pier('variable:update', 'plain', '-e', 'main', '--visible-build', '1')).code).toBe(0);
    expect((await envVariable('plain')).body.visible_build).toBe(true);
  });

  it('with nothing to change exits 1, or 0 with --allow-no-change', async () => {
    const same = await pier('variable:update', 'plain', '-e', 'main', '--value', 'v3');
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('No changes were provided.');
    expect((await pier('variable:update', 'plain', '-e', 'main', '--allow-no-change')).code).toBe(0);
    const json = await pier('variable:update', 'plain', '-e', 'main', '--json', 'true');
    expect(json.code).toBe(1);
    expect(json.stderr).toContain("Invalid value for '--value': the value is not valid JSON (--json is true).");
  });

  it('updating an inherited variable gives the child its own copy; a sensitive one stays sensitive', async () => {
    expect((await pier('variable:update', 'plain', '-e', 'feature-a', '--enabled', 'false')).code).toBe(0);
    expect((await envVariable('plain', 'feature-a')).body).toMatchObject({ inherited: false, is_enabled: false, value: 'v3' });
    const back = await pier('variable:update', 'env:PIER_CLI_TOKEN', '-e', 'main', '--sensitive', 'false');
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('A sensitive variable cannot be made non-sensitive.');
    expect((await envVariable('env:PIER_CLI_TOKEN')).body.is_sensitive).toBe(true);
  });

  it('delete asks, defaulting to no: --no-interaction refuses, --yes deletes', async () => {
    const refused = await pier('variable:delete', 'shared', '-e', 'main', '-l', 'e', '--no-interaction');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Use --yes');
    expect((await envVariable('shared')).status).toBe(200);
    const deleted = await pier('variable:delete', 'shared', '-e', 'main', '-l', 'e', '--yes');
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain('Delete the variable shared from the environment main? [y/N] y\nDeleted variable shared');
    expect((await envVariable('shared')).status).toBe(404);
    expect((await projectVariable('shared')).status).toBe(200);
    expect((await pier('variable:delete', 'shared', '--yes')).stderr).toContain(`Delete the variable shared from the project Variables (${cli.projectId})? [y/N] y`);
    expect((await projectVariable('shared')).status).toBe(404);
  });

  it('an inherited variable cannot be deleted from the child', async () => {
    expect((await pier('variable:create', '-l', 'e', '-e', 'main', '--name', 'from_parent', '--value', 'x')).code).toBe(0);
    const result = await pier('variable:delete', 'from_parent', '-e', 'feature-a', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The variable from_parent is inherited, so it cannot be deleted from this environment.');
    expect((await envVariable('from_parent', 'main')).status).toBe(200);
  });
});

describe('on a terminal', () => {
  /** A TTY whose user answers each prompt when it appears on stderr. */
  function answeringTerminal(env: Record<string, string | undefined>, answers: Record<string, string>) {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      for (const [prompt, answer] of Object.entries(answers)) if (chunk.toString().includes(prompt)) stdin.write(`${answer}\n`);
    });
    return { stdin, stdout, stderr, env, out: () => out, err: () => err };
  }

  it('asks for the level, name and value that were not given', async () => {
    const terminal = answeringTerminal({ ...adminEnv, PIER_CLI_HOME: tempDir() }, { 'Enter a level:': 'env', 'Name (--name):': 'asked', 'Value (--value):': 'typed in' });
    const code = await runInProcess(vendorProfile('pier'), ['variable:create', '-e', 'main'], terminal);
    expect(terminal.err()).toContain('Level (--level):');
    expect(code).toBe(0);
    expect((await envVariable('asked')).body).toMatchObject({ value: 'typed in', visible_build: false });
  });

  it('asks for a sensitive value with a hidden prompt (a real pseudo-terminal, util-linux script)', async () => {
    const secret = `typed-${randomBytes(8).toString('hex')}`;
    const command = `${process.execPath} ${binaries.pier} variable:create -e main -l e --name hidden_one --sensitive yes`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', TERM: 'xterm', NO_COLOR: '1', ...adminEnv } });
    let screen = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!answered && screen.includes('Value (--value):')) {
        answered = true;
        child.stdin.write(`${secret}\r`);
      }
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(screen).toContain('Creating variable hidden_one on the environment main');
    expect(screen).not.toContain(secret);
    expect((await envVariable('hidden_one')).body).toMatchObject({ is_sensitive: true });
  });
});

describe('secret canary', () => {
  it('a sensitive value appears in no CLI output, -vvv included, nor in the cli.server log', async () => {
    const canary = `canary-${randomBytes(12).toString('hex')}`;
    const renewed = `canary-${randomBytes(12).toString('hex')}`;
    const short = randomBytes(2).toString('hex');
    const runs = [
      await pier('variable:create', '-vvv', '-e', 'main', '-l', 'e', '--prefix', 'env', '--name', 'CANARY', '--sensitive', 'true', '--value', canary),
      await pier('variable:create', '-vvv', '-l', 'p', '--name', 'short_secret', '--sensitive', '1', '--value', short),
      await pier('variable:list', '-vvv', '-e', 'main'),
      await pier('variable:list', '-vvv', '-e', 'main', '--format', 'json', '-c', '*'),
      await pier('variable:get', '-vvv', 'env:CANARY', '-e', 'main'),
      await pier('variable:get', '-vvv', 'env:CANARY', '-e', 'main', '-P', 'value'),
      await pier('variable:update', '-vvv', 'env:CANARY', '-e', 'main', '--value', renewed),
      await pier('variable:update', '-vvv', 'short_secret', '-l', 'p', '--value', `${short}x`),
      await pier('variable:create', '-vvv', '-e', 'main', '-l', 'e', '--prefix', 'env', '--name', 'CANARY', '--sensitive', 'true', '--value', canary),
      await pier('variable:create', '-vvv', '-e', 'main', '-l', 'e', '--name', 'bad json', '--sensitive', 'true', '--json', 'true', '--value', canary),
    ];
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 1, 1]);
    const output = runs.map((run) => run.stdout + run.stderr).join('\n');
    expect(output).toContain('"value":"[redacted]"'); // the -vvv trace of the request bodies is there
    for (const secret of [canary, renewed]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(new RegExp(`"value":"${short}x?"`));
    await logSettled(cli.server);
    for (const secret of [canary, renewed]) expect(cli.server.output()).not.toContain(secret);
  });
});
