import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { ciEnv, filesUnder, runCli } from '../testing/run-cli.js';

const cli = useCliServer({ tokenName: 'formats' });

async function pier(...args: string[]): Promise<string> {
  const result = await runCli(args, { env: cli.adminEnv });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('auth:info in every format', () => {
  it('table: a Property | Value box', async () => {
    const out = await pier('auth:info');
    expect(out).toMatch(/^\+-+\+-+\+\n\| Property +\| Value +\|\n\+-+\+-+\+\n/);
    expect(out).toMatch(/\| email +\| admin@example\.com +\|/);
  });
  it('csv, tsv and plain: one property per line', async () => {
    expect(await pier('auth:info', '--format', 'csv')).toContain('Property,Value\nid,');
    expect(await pier('auth:info', '--format', 'csv')).toContain(`email,${ADMIN_EMAIL}\n`);
    expect(await pier('auth:info', '--format', 'tsv')).toContain(`email\t${ADMIN_EMAIL}\n`);
    const plain = await pier('auth:info', '--format', 'plain', '--no-header');
    expect(plain.split('\n')[0]).toMatch(/^id\t[0-9a-f-]{36}$/);
  });
  it('json: one object; a property alone prints its raw value', async () => {
    const info = JSON.parse(await pier('auth:info', '--format', 'json')) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual(['id', 'username', 'email', 'first_name', 'last_name', 'auth_method', 'api_token_name', 'access_token_expires_at', 'api_token_scope', 'api_token_allowed_ips']);
    expect(await pier('auth:info', '-P', 'username')).toBe(`${String(info.username)}\n`);
  });
  it('rejects an unknown format with exit 1', async () => {
    const result = await runCli(['auth:info', '--format', 'xml'], { env: cli.adminEnv });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid format: xml');
  });
});

describe('api-token:list in every format', () => {
  beforeAll(async () => {
    const created = await runCli(['api-token:create', '--name', 'has,comma', '--expires-in', '30d'], { env: cli.adminEnv });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^pier_\w+\n$/); // the token alone, so scripts can capture it
    expect(created.stderr).toContain('it will not be shown again');
  });

  it('table with the default columns', async () => {
    const out = await pier('api-token:list');
    expect(out.split('\n')[1]).toMatch(/^\| id +\| name +\| created_at +\| expires_at +\| status +\| last_used_at +\|$/);
    expect(out).toContain('| formats ');
  });
  it('csv quotes what needs quoting; --columns takes "+" and wildcards', async () => {
    const out = await pier('api-token:list', '--format', 'csv', '--columns', 'name,*_ip');
    expect(out.split('\n')[0]).toBe('name,last_used_ip');
    expect(out).toContain('"has,comma",\n');
    const plus = await pier('api-token:list', '--format', 'csv', '-c', '+mfa_on_creation');
    expect(plus.split('\n')[0]).toBe('id,name,created_at,expires_at,status,last_used_at,mfa_on_creation');
  });
  it('tsv and plain, with and without header, with --date-fmt', async () => {
    const tsv = await pier('api-token:list', '--format', 'tsv', '-c', 'name,created_at', '--date-fmt', 'Y-m-d');
    expect(tsv).toMatch(/^name\tcreated_at\n/);
    expect(tsv).toMatch(/\nformats\t\d{4}-\d{2}-\d{2}\n/);
    const plain = await pier('api-token:list', '--format', 'plain', '--no-header', '-c', 'name');
    expect(plain.split('\n').filter(Boolean).sort()).toEqual(['formats', 'has,comma']);
  });
  it('json keeps types and the selected columns', async () => {
    const rows = JSON.parse(await pier('api-token:list', '--format', 'json', '-c', 'name,expires_at,mfa_on_creation')) as Record<string, unknown>[];
    const row = rows.find((candidate) => candidate.name === 'has,comma');
    expect(row).toMatchObject({ mfa_on_creation: false, expires_at: expect.stringMatching(/^\d{4}-/) });
    expect(Object.keys(row ?? {})).toEqual(['name', 'expires_at', 'mfa_on_creation']);
  });
  it('an unknown column is an error that lists the available ones', async () => {
    const result = await runCli(['api-token:list', '-c', 'nope'], { env: cli.adminEnv });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Column not found: nope (available columns: id, name,');
  });
  it('api-token:delete (alias api-token:revoke) removes a token by name', async () => {
    const result = await runCli(['api-token:revoke', 'has,comma', '--yes'], { env: cli.adminEnv });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('was deleted');
    expect(await pier('api-token:list', '--format', 'plain', '--no-header', '-c', 'name')).toBe('formats\n');
  });
});

describe('verbose output', () => {
  it('-vvv shows the HTTP traffic and no secret', async () => {
    const home = ciEnv(cli.server, { PIER_CLI_TOKEN: cli.adminToken });
    const first = await runCli(['api-token:list', '-vvv'], { env: home });
    const second = await runCli(['auth:info', '-vvv', '--refresh'], { env: home });
    const [cache] = filesUnder(home.HOME ?? '');
    const accessTokens = [cache?.content ?? ''].map((text) => (JSON.parse(text) as { access_token: string }).access_token);
    for (const result of [first, second]) {
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('> POST');
      expect(result.stderr).toContain('/oauth2/token');
      expect(result.stderr).toContain('authorization: Bearer [redacted]');
      expect(result.stderr).toContain('api_token=[redacted]');
      const everything = result.stdout + result.stderr;
      expect(everything).not.toContain(cli.adminToken);
      for (const accessToken of accessTokens) expect(everything).not.toContain(accessToken);
      expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    }
  });
});

describe('commands, help and completion', () => {
  it('lists commands, shows help for one, and accepts "auth info" for auth:info', async () => {
    expect(await pier('list')).toMatch(/auth:info +Display your account information/);
    expect(await pier('help', 'auth:info')).toContain('--no-auto-login');
    expect(await pier('auth', 'info', 'email')).toBe(`${ADMIN_EMAIL}\n`);
    expect(await pier('--version')).toMatch(/^Pier CLI \d+\.\d+\.\d+/);
  });
  it('prints completion scripts for bash, zsh and fish', async () => {
    expect(await pier('completion', 'bash')).toContain('complete -F _pier_completion pier');
    expect(await pier('completion', 'zsh')).toContain('#compdef pier');
    expect(await pier('completion', 'fish')).toContain("complete -c pier -f -n '__fish_use_subcommand' -a 'auth:info'");
  });
});
