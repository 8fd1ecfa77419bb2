import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { usePierServer } from '../../../../test-support/lifecycle.js';
import { request } from '../../../../test-support/http.js';
import { actor, createProjectAs, grant } from '../../../../test-support/actors.js';

/** A signed `/ref/projects` link shows a project only to callers who may see it now. */
describe.each(databaseKinds())('signed ref links (%s)', (kind) => {
  const ctx = usePierServer(kind);

  it('answers with the projects the caller can still see, whoever holds the link', async () => {
    const admin = await actor(ctx.server, ADMIN_EMAIL, { existing: true });
    const member = await actor(ctx.server, `member-${kind}@example.com`);
    const stranger = await actor(ctx.server, `stranger-${kind}@example.com`);
    const projectId = await createProjectAs(ctx.server, admin, 'Referenced');
    await grant(ctx.server, admin, projectId, member, ['viewer']);

    const access = await request<{ _links: Record<string, { href: string }> }>(`${ctx.server.url}/users/me/extended-access`, { headers: member.headers });
    const href = access.body._links['ref:projects:0']!.href;
    const ref = href.slice(href.indexOf('/ref/'));
    expect((await request(`${ctx.server.url}${ref}`, { headers: member.headers })).body).toHaveProperty(projectId);

    // Passed on to someone without access, or kept after access is removed: it shows nothing.
    expect((await request(`${ctx.server.url}${ref}`, { headers: stranger.headers })).body).toEqual({});
    expect((await request(`${ctx.server.url}/projects/${projectId}/user-access/${member.userId}`, { method: 'DELETE', headers: admin.headers })).status).toBe(204);
    expect((await request(`${ctx.server.url}${ref}`, { headers: member.headers })).body).toEqual({});
    expect((await request(`${ctx.server.url}${ref}`)).status).toBe(401);
  });
});
