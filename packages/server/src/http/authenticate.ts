import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import { ApiError } from './errors.js';
import { safeEqual } from '../auth/token-hash.js';
import type { TokenScope } from '../access/token-scope.js';
import { TOKEN_EXPIRES_AT_HEADER, tokenExpiresAtValue } from './token-expiry-header.js';

export const SESSION_COOKIE = 'pier_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Who is calling: a user, through a bearer access token or a console session. */
export interface Principal {
  userId: string;
  via: 'access_token' | 'session';
  /** The API token the access token was exchanged from (audit trails name it). */
  apiTokenId: string | null;
  jti: string | null;
  /** A limit below the user's grant, from the credential (API token or trust policy); null = none. */
  scope: TokenScope | null;
  /** Seconds since the epoch: when the API token behind the access token expires. */
  apiTokenExpiresAt: number | null;
  /** The trust policy a keyless (OIDC) exchange matched. */
  trustPolicyId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route registered inside `app` requires a caller. Bearer tokens are verified locally;
 * cookie sessions must echo their CSRF token on state-changing requests.
 */
export function requireAuthentication(app: FastifyInstance, services: Services): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    request.principal = await authenticate(request, services);
    if (request.principal.apiTokenExpiresAt !== null) void reply.header(TOKEN_EXPIRES_AT_HEADER, tokenExpiresAtValue(request.principal.apiTokenExpiresAt));
  });
}

/** The caller, on a public route: null when the request carries no credentials at all. */
export async function optionalPrincipal(request: FastifyRequest, services: Pick<Services, 'sessions' | 'verifier'>): Promise<Principal | null> {
  if (request.headers.authorization === undefined && !request.cookies[SESSION_COOKIE]) return null;
  return authenticate(request, services);
}

async function authenticate(request: FastifyRequest, services: Pick<Services, 'sessions' | 'verifier'>): Promise<Principal> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new ApiError('invalid_token', 'The Authorization header must be "Bearer <access token>".');
    const claims = await services.verifier.verify(match[1]);
    if (claims.addresses && !claims.addresses.allows(request.ip)) {
      throw new ApiError('forbidden', `This access token's API token may not be used from ${request.ip}.`, { missing_permission: 'token allowed_ips' });
    }
    return {
      userId: claims.userId,
      via: 'access_token',
      apiTokenId: claims.apiTokenId,
      jti: claims.jti,
      scope: claims.scope,
      apiTokenExpiresAt: claims.apiTokenExpiresAt,
      trustPolicyId: claims.trustPolicyId,
    };
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  if (sessionId) {
    const session = await services.sessions.find(sessionId);
    if (!session) throw new ApiError('authentication_required', 'Your session has expired. Please log in again.');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new ApiError('forbidden', 'Missing or wrong CSRF token.', { header: CSRF_HEADER });
      }
    }
    return { userId: session.userId, via: 'session', apiTokenId: null, jti: null, scope: null, apiTokenExpiresAt: null, trustPolicyId: null };
  }
  throw new ApiError('authentication_required', 'Authentication is required.');
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('authentication_required', 'Authentication is required.');
  return request.principal;
}
