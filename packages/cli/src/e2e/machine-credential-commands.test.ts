import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, createUser } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { ciEnv, runCli } from '../testing/run-cli.js';

/**
 * api-token:create with a scope and an address binding, api-token:rotate, auth:check, auth:info
 * and user:deactivate|reactivate, run as a CI job runs them against a real server.
 */
const cli = useCliServer({ project: 'Machines' });
const { pier } = cli;

describe('a scoped token', () => {
  it('is created with its limits, shows them in auth:info, and auth:check names what its scope lacks (exit 6)', async () => {
    const created = await pier('api-token:create', '--name', 'deploy', '--scope', `${cli.projectId}:viewer,development:contributor`);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(`Limited to project ${cli.projectId}: viewer, development:contributor`);
    const scopedEnv = ciEnv(cli.server, { PIER_CLI_TOKEN: created.stdout.trim(), PIER_PROJECT: cli.projectId });

    const info = await runCli(['auth:info', '--format', 'plain'], { env: scopedEnv });
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`${cli.projectId}: viewer, development:contributor`);

    const denied = await runCli(['auth:check', 'environment:backup', '-e', 'main'], { env: scopedEnv });
    expect(denied.code).toBe(6);
    expect(denied.stderr).toContain('missing: token scope production:admin');
    const json = await runCli(['auth:check', 'environment:view', '-e', 'main', '--json'], { env: scopedEnv });
    expect(JSON.parse(json.stdout)).toMatchObject({ allowed: false, environment_type: 'production' });
    const allowedForAdmin = await pier('auth:check', 'environment:backup', '-p', cli.projectId, '-e', 'main');
    expect(allowedForAdmin.code).toBe(0);
    expect(allowedForAdmin.stderr).toContain(`Allowed: environment:backup in project ${cli.projectId}, environment main (production)`);
  });

  it('bound to other addresses is refused with the reason', async () => {
    const created = await pier('api-token:create', '--name', 'office-only', '--allowed-ip', '10.0.0.0/8,192.168.0.0/16');
    expect(created.stderr).toContain('Accepted only from: 10.0.0.0/8, 192.168.0.0/16');
    const refused = await runCli(['auth:info'], { env: ciEnv(cli.server, { PIER_CLI_TOKEN: created.stdout.trim() }) });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('The API token was refused: This API token may not be used from 127.0.0.1.');
  });
});

describe('api-token:rotate', () => {
  it('prints only the new secret; with an overlap the old one keeps working', async () => {
    const oldSecret = (await pier('api-token:create', '--name', 'rotating')).stdout.trim();
    const rotated = await pier('api-token:rotate', 'rotating', '--overlap', '1h', '--yes');
    expect(rotated.code).toBe(0);
    const newSecret = rotated.stdout.trim();
    expect(newSecret).toMatch(/^pier_\w+$/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.stderr).toMatch(/The old secret works until \d{4}-\d\d-\d\dT/);
    for (const secret of [oldSecret, newSecret]) {
      expect((await runCli(['auth:info', 'email'], { env: ciEnv(cli.server, { PIER_CLI_TOKEN: secret }) })).stdout.trim()).toBe(ADMIN_EMAIL);
    }
    const now = await pier('api-token:rotate', 'rotating', '--yes');
    expect(now.stderr).toContain('The old secret no longer works.');
    expect((await runCli(['auth:info'], { env: ciEnv(cli.server, { PIER_CLI_TOKEN: newSecret }) })).code).toBe(3);
    expect((await pier('api-token:rotate', 'rotating', '--overlap', 'soon', '--yes')).code).toBe(1);
  });
});

describe('user:deactivate and user:reactivate', () => {
  it('cut a machine user off by e-mail address and let them in again', async () => {
    await createUser(cli.server, 'robot@example.com');
    const robotEnv = ciEnv(cli.server, { PIER_CLI_TOKEN: await createApiToken(cli.server, 'robot@example.com', 'robot') });
    expect((await runCli(['auth:info', 'email'], { env: robotEnv })).stdout.trim()).toBe('robot@example.com');

    const deactivated = await pier('user:deactivate', 'robot@example.com', '--yes');
    expect(deactivated.code).toBe(0);
    expect(deactivated.stderr).toContain('robot@example.com is deactivated.');
    // The cached access token died with the user; a new exchange is refused.
    expect((await runCli(['auth:info', 'email'], { env: robotEnv })).code).toBe(3);

    expect((await pier('user:reactivate', 'robot@example.com')).stderr).toContain('robot@example.com is active.');
    expect((await runCli(['auth:info', 'email'], { env: robotEnv })).stdout.trim()).toBe('robot@example.com');
    expect((await pier('user:deactivate', 'nobody@example.com', '--yes')).code).toBe(1);
  });
});
