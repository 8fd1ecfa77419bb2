import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken } from '../../../../test-support/pier-server.js';
import { startListeningServer } from '../../../../test-support/listening-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { runCli, tempDir } from '../testing/run-cli.js';

const platform = useCliServer({ serverEnv: { PIER_VENDOR: 'platformsh' }, tokenName: 'platform-ci' });

describe('the platform binary (Platform.sh profile)', () => {
  it('reads PLATFORMSH_CLI_TOKEN, keeps its cache in ~/.platformsh, and says how it authenticated', async () => {
    const home = tempDir('platform-home-');
    const env = { HOME: home, PLATFORMSH_CLI_API_URL: platform.server.url, PLATFORMSH_CLI_TOKEN: platform.adminToken };
    const result = await runCli(['auth:info', '--format', 'json'], { binary: 'platform', env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      email: ADMIN_EMAIL,
      auth_method: 'API token from the PLATFORMSH_CLI_TOKEN environment variable',
    });
    expect(fs.readdirSync(path.join(home, '.platformsh', 'cache', 'access-tokens'))).toHaveLength(1);
    expect(fs.existsSync(path.join(home, '.pier'))).toBe(false);
  });

  it('accepts the Platform.sh CLI variable names (PLATFORMSH_CLI_API_BASE_URL) and ignores PIER_CLI_TOKEN', async () => {
    const env = { HOME: tempDir(), PLATFORMSH_CLI_API_BASE_URL: platform.server.url, PIER_CLI_TOKEN: platform.adminToken };
    const result = await runCli(['auth:info'], { binary: 'platform', env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('configure an API token using the PLATFORMSH_CLI_TOKEN environment variable');
    expect(result.stderr).toContain('platform auth:api-token-login');
    const version = await runCli(['--version'], { binary: 'platform', env });
    expect(version.stdout).toMatch(/^Platform\.sh CLI /);
  });

  it('sends its own OAuth2 client id, platform-cli, which only a platformsh server accepts', async () => {
    const pierServer = await startListeningServer();
    try {
      const token = await createApiToken(pierServer, ADMIN_EMAIL, 'wrong-client');
      const env = { HOME: tempDir(), PLATFORMSH_CLI_API_URL: pierServer.url, PLATFORMSH_CLI_TOKEN: token };
      const result = await runCli(['auth:info'], { binary: 'platform', env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The token exchange at');
      const pier = await runCli(['auth:info', 'email'], { env: { HOME: tempDir(), PIER_CLI_API_URL: pierServer.url, PIER_CLI_TOKEN: token } });
      expect(pier).toMatchObject({ code: 0, stdout: `${ADMIN_EMAIL}\n` });
    } finally {
      await pierServer.stop();
    }
  });
});
