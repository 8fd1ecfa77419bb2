import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import type { Environment, Project } from '../db/schema.js';
import type { WorkerServices } from '../services.js';
import { ApiError } from '../http/errors.js';
import { principalOf, type Principal } from '../http/authenticate.js';
import { callerIsInstanceAdmin, loadProjectAccess, type GrantStores, requireEnvironmentAction, requireProjectAction, requireProjectDeletion, requireProjectVariablesRead } from './grants.js';
import { decideInstanceAction, environmentActions, projectActions, type EnvironmentAction, type Grant, type ProjectAction } from './policy.js';

/**
 * What a route needs, declared once in its options (`config: { requires: 'environment:backup' }`)
 * and resolved by one preHandler before the handler runs:
 * - `public`: no credential (the route sits outside the authenticated scope);
 * - `authenticated`: any caller; what they see is filtered by the handler (their own rows, a list);
 * - an instance action (`project:create`, `user:deactivate`, …): unscoped instance admins only;
 * - a user action (`user:view`, `user:api-tokens`, …): on `/users/{user_id}/…`, the user themself
 *   (and, for some, an instance admin);
 * - a project action (`project:view`, `access:manage`, …, `project:delete`,
 *   `project-variables:view`): the project and the caller's grant, outsiders get 404;
 * - an environment action (`environment:view`, `environment:backup`, …): also the environment,
 *   which the caller must be able to view before anything else.
 */
export const instanceActions = { 'project:create': 'create projects', 'user:deactivate': 'deactivate users', 'user:reactivate': 'reactivate users' } as const;
export type InstanceAction = keyof typeof instanceActions;

interface UserActionRule {
  /** Refused for anyone but the user themself (and instance admins when `instanceAdmins`). */
  refusal: string;
  instanceAdmins: boolean;
  /** Refused to scoped credentials first: what the route hands out would reach beyond the scope. */
  unscopedOnly?: { message: string; detail: Record<string, string> };
}
const userActions = {
  'user:view': { refusal: 'You may only view your own account.', instanceAdmins: true },
  'user:access:view': { refusal: "Only instance admins can list another user's access.", instanceAdmins: true },
  'user:api-tokens': { refusal: 'You can only manage your own API tokens.', instanceAdmins: false },
  'user:trust-policies': {
    refusal: 'You can only manage your own trust policies.',
    instanceAdmins: true,
    unscopedOnly: { message: 'A scoped credential cannot manage trust policies.', detail: { missing: 'unscoped credential' } },
  },
} as const satisfies Record<string, UserActionRule>;
export type UserAction = keyof typeof userActions;

/** Project-level decisions that are not a plain role threshold. */
type SpecialProjectAction = 'project:delete' | 'project-variables:view';

export type RouteRequirement = 'public' | 'authenticated' | InstanceAction | UserAction | ProjectAction | SpecialProjectAction | EnvironmentAction;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller needs; a route without it does not register (see `registerRouteRequirements`). */
    requires: RouteRequirement;
  }
  interface FastifyInstance {
    /** Every route with what it requires, in registration order (the declarations test reads it). */
    declaredRoutes: readonly DeclaredRoute[];
  }
  interface FastifyRequest {
    /** Resolved from the route's `requires` before the handler: read it through the accessors below. */
    scope: RequestScope | null;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  /** Undefined only for routes of plugins that take no route config (the console's static files). */
  requires: RouteRequirement | undefined;
}

export interface UserScope {
  principal: Principal;
  /** The user the route is about (`me` resolved). */
  userId: string;
}
export interface ProjectScope {
  principal: Principal;
  project: Project;
  grant: Grant;
}
export interface EnvironmentScope extends ProjectScope {
  environment: Environment;
}
type RequestScope = UserScope | ProjectScope | EnvironmentScope;

/** What resolving a declaration reads: the grant's stores and the environments. */
export type RequirementStores = GrantStores & Pick<WorkerServices, 'environments'>;

/**
 * Registered once, before every route; it attaches the resolving preHandler to the routes that
 * need one. Only the not-found handler and the console's static
 * files (`@fastify/static` takes no route config) have no declaration;
 * `route-declarations.test.ts` holds every route to one.
 */
export function registerRouteRequirements(app: FastifyInstance, services: RequirementStores): void {
  app.decorateRequest('scope', null);
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  const resolveRequirement = async (request: FastifyRequest): Promise<void> => {
    const requires = (request.routeOptions.config as FastifyContextConfig).requires as ScopedRequirement;
    request.scope = await resolveScope(services, request, requires);
  };
  app.addHook('onRoute', (route) => {
    const requires = route.config?.requires;
    for (const method of [route.method].flat()) declared.push({ method, url: route.url, requires });
    // Only routes that resolve a scope get a preHandler: `public` and `authenticated` routes (the hot
    // token and listing paths) run none. The `requireAuthentication` scope already set the principal.
    if (requires === undefined || requires === 'public' || requires === 'authenticated') return;
    route.preHandler = [resolveRequirement, ...[route.preHandler ?? []].flat()];
  });
}

type ScopedRequirement = Exclude<RouteRequirement, 'public' | 'authenticated'>;

async function resolveScope(services: RequirementStores, request: FastifyRequest, requires: ScopedRequirement): Promise<RequestScope | null> {
  const principal = principalOf(request);
  const params = request.params as Record<string, string | undefined>;
  if (requires in instanceActions) {
    const decision = decideInstanceAction(await services.users.isAdmin(principal.userId), principal.scope !== null, instanceActions[requires as InstanceAction]);
    if (!decision.allowed) throw new ApiError('forbidden', decision.message, { missing_permission: decision.missing });
    return null;
  }
  if (requires in userActions) return resolveUserScope(services, principal, params.user_id ?? 'me', userActions[requires as UserAction]);

  const { project, grant } = await loadProjectAccess(services, principal, params.projectId ?? params.project_id ?? '');
  if (requires in environmentActions) {
    const environment = await services.environments.require(project.id, params.environmentId ?? '');
    // Viewing first, on every environment route: a caller with no role on this type is told it lacks viewer.
    requireEnvironmentAction(grant, 'environment:view', environment.type);
    requireEnvironmentAction(grant, requires as EnvironmentAction, environment.type);
    return { principal, project, grant, environment };
  }
  if (requires === 'project:delete') requireProjectDeletion(grant);
  else if (requires === 'project-variables:view') requireProjectVariablesRead(grant);
  else if (requires in projectActions) requireProjectAction(grant, requires as ProjectAction);
  else throw new Error(`Unknown route requirement ${requires}.`);
  return { principal, project, grant };
}

async function resolveUserScope(services: RequirementStores, principal: Principal, userParam: string, rule: UserActionRule): Promise<UserScope> {
  if (rule.unscopedOnly && principal.scope) throw new ApiError('forbidden', rule.unscopedOnly.message, rule.unscopedOnly.detail);
  const userId = userParam === 'me' ? principal.userId : userParam;
  if (userId !== principal.userId && !(rule.instanceAdmins && (await callerIsInstanceAdmin(services, principal)))) throw new ApiError('forbidden', rule.refusal);
  return { principal, userId };
}

function scopeOf(request: FastifyRequest): RequestScope {
  if (!request.scope) throw new Error(`${request.method} ${request.routeOptions.url ?? request.url} reads a scope its requirement does not resolve.`);
  return request.scope;
}

/** The project and grant of a route that requires a project or environment action. */
export function projectScope(request: FastifyRequest): ProjectScope {
  const scope = scopeOf(request);
  if (!('project' in scope)) throw new Error(`${request.routeOptions.url ?? request.url} requires no project action.`);
  return scope;
}

/** The project, grant and environment of a route that requires an environment action. */
export function environmentScope(request: FastifyRequest): EnvironmentScope {
  const scope = scopeOf(request);
  if (!('environment' in scope)) throw new Error(`${request.routeOptions.url ?? request.url} requires no environment action.`);
  return scope;
}

/** The user a `/users/{user_id}/…` route is about, once the caller may act on them. */
export function userScope(request: FastifyRequest): UserScope {
  const scope = scopeOf(request);
  if (!('userId' in scope)) throw new Error(`${request.routeOptions.url ?? request.url} requires no user action.`);
  return scope;
}
