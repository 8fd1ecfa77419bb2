import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../http/authenticate.js';
import { safeEqual } from './token-hash.js';
import { requireJsonBody, requireSameOrigin } from '../http/same-origin.js';
import { LoginBody, SessionResponse } from './schemas.js';
import { startConsoleSession } from './session-cookie.js';

/** Console login: an HttpOnly, SameSite=Strict session cookie plus a CSRF token for writes. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'config' | 'loginThrottle' | 'passwords' | 'sessions' | 'users'> }> = async (app, { services }) => {
  const tags = ['Console session'];

  app.post(
    '/auth/login',
    {
      config: { requires: 'public' },
      schema: {
        operationId: 'console-login',
        tags,
        body: LoginBody,
        summary: 'JSON only, and only from the console’s own origin (login CSRF)',
        response: { 200: SessionResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 415: ErrorBody, 429: ErrorBody },
      },
      preValidation: async (request) => {
        requireSameOrigin(request, services.config.publicUrl);
        requireJsonBody(request);
      },
    },
    async (request, reply) => {
      const wait = services.loginThrottle.admit(request.ip);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new ApiError('rate_limited', `Too many failed logins. Try again in ${wait} seconds.`);
      }
      const user = await services.users.findByEmail(request.body.email);
      const valid = await services.passwords.verifyLogin(request.body.password, user?.password_hash);
      if (!user || !valid || user.deactivated === 1) throw new ApiError('authentication_required', 'The e-mail address or password is wrong.');
      services.loginThrottle.forgive(request.ip);
      const session = await startConsoleSession(services, reply, user.id);
      return { user_id: user.id, csrf_token: session.csrfToken, expires_at: session.expiresAt };
    },
  );

  app.get(
    '/auth/session',
    { config: { requires: 'public' }, schema: { operationId: 'console-session', tags, response: { 200: SessionResponse, 401: ErrorBody } } },
    async (request) => {
      const sessionId = request.cookies[SESSION_COOKIE];
      const session = sessionId ? await services.sessions.find(sessionId) : undefined;
      if (!session) throw new ApiError('authentication_required', 'You are not logged in.');
      return { user_id: session.userId, csrf_token: session.csrfToken, expires_at: session.expiresAt };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { requires: 'public' },
      schema: { operationId: 'console-logout', tags, response: { 204: Type.Null(), 403: ErrorBody } },
      preValidation: async (request) => requireSameOrigin(request, services.config.publicUrl),
    },
    async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE];
      const session = sessionId ? await services.sessions.find(sessionId) : undefined;
      if (sessionId && session) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) throw new ApiError('forbidden', 'Missing or wrong CSRF token.');
        await services.sessions.delete(sessionId);
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
};
