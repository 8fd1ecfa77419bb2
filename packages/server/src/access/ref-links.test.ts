import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, databaseKinds } from '../../../../test-support/pier-server.js';
import { useInProcessServer } from '../../../../test-support/in-process.js';
import { apiAs, rawRequest } from '../../../../test-support/api-client.js';
import { actorInProcess, createProjectInProcess, grantInProcess } from '../../../../test-support/in-process-actors.js';

/** A signed `/ref/projects` link shows a project only to callers who may see it now. */
describe.each(databaseKinds())('signed ref links (%s)', (kind) => {
  const ctx = useInProcessServer(kind);

  it('answers with the projects the caller can still see, whoever holds the link', async () => {
    const admin = await actorInProcess(ctx.server, ADMIN_EMAIL, { existing: true });
    const member = await actorInProcess(ctx.server, `member-${kind}@example.com`);
    const stranger = await actorInProcess(ctx.server, `stranger-${kind}@example.com`);
    const projectId = await createProjectInProcess(ctx.server, admin, 'Referenced');
    await grantInProcess(ctx.server, admin, projectId, member, ['viewer']);

    const access = await apiAs(ctx.server, member.headers).GET('/users/{user_id}/extended-access', { params: { path: { user_id: 'me' } } });
    const href = access.data!._links['ref:projects:0']!.href;
    // The signed link is followed as given (path and signature), so it goes around the typed client.
    const ref = href.slice(href.indexOf('/ref/'));
    const follow = (headers: Record<string, string> = {}) => rawRequest(ctx.server, ref, { headers });
    expect((await follow(member.headers)).body).toHaveProperty(projectId);

    // Passed on to someone without access, or kept after access is removed: it shows nothing.
    expect((await follow(stranger.headers)).body).toEqual({});
    const removed = await apiAs(ctx.server, admin.headers).DELETE('/projects/{project_id}/user-access/{user_id}', {
      params: { path: { project_id: projectId, user_id: member.userId } },
    });
    expect(removed.response.status).toBe(204);
    expect((await follow(member.headers)).body).toEqual({});
    expect((await follow()).status).toBe(401);
  });
});
