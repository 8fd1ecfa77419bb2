import path from 'node:path';
import type { Services } from '../services.js';
import { loadGrant } from '../access/grants.js';
import { decideProjectAction } from '../access/policy.js';
import { repositoryPath } from '../git/repositories.js';
import { checkPush, parseRefUpdates, PushRefused, recordPush, type Pusher, type PushServices } from '../git/pushes.js';
import { actorFor, type IdentityServices } from './identify.js';
import { parseTokenScope, type TokenScopeBody } from '../access/token-scope.js';

/** What a repository hook sends: git's ref lines, the pusher the session named, and git's quarantine. */
export interface HookRequest {
  updates: string;
  user: string;
  token: string;
  project: string;
  client: string;
  /** The certificate's token scope (JSON), or empty. */
  scope: string;
  quarantine: { GIT_QUARANTINE_PATH?: string; GIT_OBJECT_DIRECTORY?: string; GIT_ALTERNATE_OBJECT_DIRECTORIES?: string };
}

/** The stores a repository hook reads: the pusher's identity and grant, the project, the push's own. */
export type HookServices = PushServices & IdentityServices & Pick<Services, 'projectAccess' | 'projects'>;

async function pusherOf(services: HookServices, request: HookRequest): Promise<Pusher> {
  const actor = await actorFor(services, request.user, request.token || null, { mustBeUsable: false, clientIp: request.client || null });
  const project = await services.projects.find(request.project);
  const scope = request.scope ? parseTokenScope(JSON.parse(request.scope) as TokenScopeBody) : null;
  const grant = await loadGrant(services, request.user, request.project, scope);
  if (!project || !decideProjectAction(grant, 'project:view').allowed) throw new PushRefused(`Project not found: ${request.project}`);
  return { actor, project, grant };
}

/**
 * git's quarantine variables, so the checks see the pushed objects before git accepts them; each
 * must stay inside the project's repository.
 */
function quarantineEnvironment(repo: string, quarantine: HookRequest['quarantine']): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(quarantine)) {
    if (!value) continue;
    const paths = value.split(':').map((entry) => path.resolve(repo, entry));
    if (paths.some((p) => p !== repo && !p.startsWith(`${repo}/`))) throw new PushRefused(`${name} points outside the repository.`);
    env[name] = paths.join(':');
  }
  return env;
}

export async function preReceive(services: HookServices, request: HookRequest): Promise<void> {
  const pusher = await pusherOf(services, request);
  const repo = repositoryPath(services.config.dataDir, pusher.project.id);
  await checkPush(services, pusher, parseRefUpdates(request.updates), quarantineEnvironment(repo, request.quarantine));
}

export async function postReceive(services: HookServices, request: HookRequest): Promise<string[]> {
  return recordPush(services, await pusherOf(services, request), parseRefUpdates(request.updates));
}
