import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { ciEnv, runCli } from '../testing/run-cli.js';

const DAY = 86_400_000;
const cli = useCliServer({ serverEnv: { PIER_API_TOKEN_MAX_LIFETIME: '90d', PIER_WORKER: 'off' } });

async function createToken(name: string, expires: string): Promise<{ token: string; id: string }> {
  const created = await runCli(['api-token:create', '--name', name, '--expires', expires], { env: ciEnv(cli.server, { PIER_CLI_TOKEN: cli.adminToken }) });
  expect(created.code, created.stderr).toBe(0);
  const id = /\(([0-9a-f-]{36})\)/.exec(created.stderr)?.[1] ?? '';
  return { token: created.stdout.trim(), id };
}

describe('token expiry in the CLI', () => {
  it('warns once on stderr, never on stdout, in the token’s last 7 days; -q silences it', async () => {
    const { token, id } = await createToken('expires-soon', '3d');
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: token });
    // api-token:delete makes two requests (list, delete) after the exchange: one warning.
    await createToken('to-delete', '10d');
    const result = await runCli(['api-token:delete', 'to-delete', '--yes'], { env });
    expect(result.code, result.stderr).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('Warning: the API token expires'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^Warning: the API token expires in 3 days \\(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\\)\\. Rotate it: pier api-token:rotate ${id} --overlap 1h$`));

    const data = await runCli(['auth:info', 'email'], { env });
    expect(data).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
    expect(data.stderr).toContain('Warning: the API token expires in 3 days');
    const quiet = await runCli(['auth:info', 'email', '-q'], { env });
    expect(quiet).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n`, stderr: '' });
  });

  it('says nothing for a token with more than 7 days left', async () => {
    const { token } = await createToken('expires-later', '30d');
    const result = await runCli(['auth:info', 'email'], { env: ciEnv(cli.server, { PIER_CLI_TOKEN: token }) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('api-token:create --expires takes a date and refuses one beyond the cli.server’s maximum', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: cli.adminToken });
    const date = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
    const created = await runCli(['api-token:create', '--name', 'dated', '--expires', date], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain(`expiring ${date}T00:00:00.000Z`);

    const tooLate = await runCli(['api-token:create', '--name', 'too-late', '--expires', '1y'], { env });
    expect(tooLate.code).toBe(1);
    expect(tooLate.stdout).toBe('');
    expect(tooLate.stderr).toContain("beyond this instance's maximum API token lifetime (90d)");
    for (const bad of ['yesterday', '2001-01-01', '12-31-2026']) {
      const refused = await runCli(['api-token:create', '--name', 'bad', '--expires', bad], { env });
      expect(refused.code, bad).toBe(1);
      expect(refused.stderr, bad).toContain("Invalid value for '--expires'");
    }
  });

  it('api-token:list shows an expired token as expired', async () => {
    const env = ciEnv(cli.server, { PIER_CLI_TOKEN: cli.adminToken });
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await runCli(['api-token:create', '--name', 'ephemeral', '--expires', soon], { env });
    expect(created.code, created.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const listed = await runCli(['api-token:list', '--format', 'csv', '-c', 'name,status'], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('ephemeral,expired\n');
    expect(listed.stdout).toContain('admin-ci,active\n');
  });
});
