/**
 * SSH under issue 15's rules, with real OpenSSH: a deactivation ends running sessions and refuses
 * new logins; a scoped token's certificate reaches only what the scope allows.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createUser } from '../../../../test-support/pier-server.js';
import { canRunGateway, gatewaySettings, sshClient, startGateway, type Gateway } from '../../../../test-support/ssh-gateway.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { bearer, request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';
import { actor, createProjectAs, grant, type TestActor } from '../../../../test-support/actors.js';
import { exchange } from '../../../../test-support/pier-server.js';

const settings = await gatewaySettings();

describe.runIf(canRunGateway)('SSH and machine credentials', { timeout: 120_000 }, () => {
  const ctx = useListeningServer('sqlite', { env: settings });
  let gateway: Gateway;
  let admin: TestActor;
  let projectId: string;
  let devLogin: string;

  beforeAll(async () => {
    gateway = await startGateway(ctx.server);
    admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    projectId = await createProjectAs(ctx.server, admin, 'Cut-off');
    const dev = await apiAs(ctx.server, admin.headers).POST('/projects/{projectId}/environments/{environmentId}/branch', {
      params: { path: { projectId, environmentId: 'main' } },
      body: { name: 'dev', type: 'development' },
    });
    expect(dev.response.status).toBe(201);
    devLogin = `${projectId}-${dev.data!._embedded.entity!.machine_name}`;
    await gateway.waitForLogin(devLogin);
  });
  afterAll(() => gateway?.stop());

  it('ends a running session and refuses new logins when the user is deactivated', async () => {
    const botId = await createUser(ctx.server, 'ssh-bot@example.com');
    const bot = await actor(ctx.server, 'ssh-bot@example.com', { existing: true });
    await grant(ctx.server, admin, projectId, bot, ['viewer', 'development:contributor']);
    const client = await sshClient(ctx.server, gateway, bot, projectId);

    const session = spawn('ssh', ['-F', client.config, `${devLogin}@gateway`, 'echo started; sleep 60; echo finished'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    session.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    session.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => session.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      session.stdout.on('data', () => output.includes('started') && resolve());
      void exited.then(() => reject(new Error(`the session ended before it started: ${output}`)));
    });

    const deactivatedAt = Date.now();
    expect((await request(`${ctx.server.url}/users/${botId}/deactivate`, { method: 'POST', headers: admin.headers })).status).toBe(200);
    const status = await Promise.race([exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 10_000))]);
    expect(status, output).not.toBe('running');
    expect(Date.now() - deactivatedAt).toBeLessThan(5_000);
    expect(output).not.toContain('finished');

    const again = await client.ssh(`${devLogin}@gateway`, 'true');
    expect(again.status).not.toBe(0);
    expect(again.output).toContain('Permission denied');
  });

  it("keeps a scoped token's certificate within the scope", async () => {
    const created = await apiAs(ctx.server, admin.headers).POST('/users/{user_id}/api-tokens', {
      params: { path: { user_id: admin.userId } },
      body: { name: 'ssh-scoped', scope: [{ project_id: projectId, permissions: ['viewer', 'development:contributor'] }] },
    });
    const scoped: TestActor = { ...admin, headers: bearer(await exchange(ctx.server.url, created.data!.token!)) };
    const client = await sshClient(ctx.server, gateway, scoped, projectId);
    const dev = await client.ssh(`${devLogin}@gateway`, 'echo "$PIER_BRANCH"');
    expect(dev.status, dev.output).toBe(0);
    expect(dev.output.trim()).toBe('dev');
    const production = await client.ssh('main.pier', 'true');
    expect(production.status).not.toBe(0);
    expect(production.output).toContain('missing: token scope production:contributor');
  });
});
