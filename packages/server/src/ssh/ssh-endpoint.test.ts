import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken, exchange } from '../../../../test-support/pier-server.js';
import { useListeningServer } from '../../../../test-support/lifecycle.js';
import { bearer, cliClient, request } from '../../../../test-support/http.js';
import { apiAs } from '../../../../test-support/api-client.js';

describe('POST /ssh and GET /ssh/authority', () => {
  const ctx = useListeningServer('sqlite');

  it('signs the caller key into a one-hour certificate whose key id is the user id', async () => {
    const apiToken = await createApiToken(ctx.server, ADMIN_EMAIL, 'ssh');
    const auth = bearer(await exchange(ctx.server.url, apiToken));
    const me = await request(`${ctx.server.url}/users/me`, { headers: auth });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-ssh-http-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id_ed25519')]);
    const response = await apiAs(ctx.server, auth).POST('/ssh', { body: { key: fs.readFileSync(path.join(dir, 'id_ed25519.pub'), 'utf8') } });
    expect(response.response.status).toBe(200);
    fs.writeFileSync(path.join(dir, 'id_ed25519-cert.pub'), `${response.data!.certificate}\n`);
    const listing = execFileSync('ssh-keygen', ['-L', '-f', path.join(dir, 'id_ed25519-cert.pub')], { encoding: 'utf8' });
    expect(listing).toContain(`Key ID: "${String(me.body.id)}"`);
    expect(listing).toContain('api-token-id@pier');
    // A terminal, and no ~/.ssh/rc, port, agent or X11 forwarding.
    expect(listing).toContain('permit-pty');
    expect(listing).not.toMatch(/permit-(user-rc|port-forwarding|agent-forwarding|X11-forwarding)/);
    const validity = /Valid: from (\S+) to (\S+)/.exec(listing)!;
    const hours = (Date.parse(`${validity[2]}Z`) - Date.parse(`${validity[1]}Z`)) / 3_600_000;
    expect(hours).toBeCloseTo(1 + 5 / 60, 1);

    const authority = await apiAs(ctx.server).GET('/ssh/authority');
    fs.writeFileSync(path.join(dir, 'ca.pub'), authority.data!.authorities[0]!);
    const caFingerprint = execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'ca.pub')], { encoding: 'utf8' }).split(' ')[1]!;
    expect(listing).toContain(caFingerprint);

    const bad = await request(`${ctx.server.url}/ssh`, { headers: auth, json: { key: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 short' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_request', detail: { field: 'key' } });

    await request(`${ctx.server.url}/oauth2/revoke`, { headers: cliClient, form: { token: apiToken } });
    const revoked = await request(`${ctx.server.url}/ssh`, { headers: auth, json: { key: fs.readFileSync(path.join(dir, 'id_ed25519.pub'), 'utf8') } });
    expect(revoked.status).toBe(401);
  });
});
