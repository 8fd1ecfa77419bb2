import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { runCli, tempDir } from '../testing/run-cli.js';

const cli = useCliServer({ tokenName: 'settings' });

describe('settings', () => {
  it('reads the user config file; the environment variable wins over it', async () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, 'config.yaml'), `api_url: ${cli.server.url}\ndefault_timeout: 5\n`);
    const fromFile = await runCli(['auth:info', 'email'], { env: { PIER_CLI_HOME: home, PIER_CLI_TOKEN: cli.adminToken } });
    expect(fromFile).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
    const overridden = await runCli(['auth:info'], { env: { PIER_CLI_HOME: home, PIER_CLI_TOKEN: cli.adminToken, PIER_CLI_API_URL: 'http://127.0.0.1:9' } });
    expect(overridden.code).toBe(5);
    expect(overridden.stderr).toContain('http://127.0.0.1:9');
  });

  it('warns inside an app container that the environment token is readable there', async () => {
    const env = { PIER_CLI_HOME: tempDir(), PIER_CLI_API_URL: cli.server.url, PIER_CLI_TOKEN: cli.adminToken, PIER_PROJECT: 'p1', PIER_BRANCH: 'main', PIER_TREE_ID: 't' };
    const result = await runCli(['auth:info', 'email'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Anyone with SSH access to this environment can read the token.');
  });

  it('--yes answers confirmations; --no-interaction takes the default; -q silences messages', async () => {
    const env = { PIER_CLI_HOME: tempDir(), PIER_CLI_API_URL: cli.server.url, PIER_CLI_TOKEN: cli.adminToken };
    for (const name of ['one', 'two']) expect((await runCli(['api-token:create', '--name', name], { env })).code).toBe(0);
    const yes = await runCli(['api-token:delete', 'one', '--yes'], { env });
    expect(yes.stderr).toContain('[Y/n] y');
    const quiet = await runCli(['api-token:delete', 'two', '--no-interaction', '-q'], { env });
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    const names = await runCli(['api-token:list', '--format', 'plain', '--no-header', '-c', 'name'], { env });
    expect(names.stdout).toBe('settings\n');
  });
});
