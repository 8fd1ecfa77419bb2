import type { FastifyReply } from 'fastify';
import type { Services } from '../services.js';
import { SESSION_COOKIE } from '../http/authenticate.js';
import { SESSION_TTL_SECONDS, type ConsoleSession } from './session-store.js';

/** Opens a console session: HttpOnly, SameSite=Strict cookie; the CSRF token goes in the body. */
export async function startConsoleSession(services: Pick<Services, 'config' | 'sessions'>, reply: FastifyReply, userId: string): Promise<ConsoleSession> {
  const { sessionId, session } = await services.sessions.create(userId);
  void reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'strict',
    secure: services.config.publicUrl.startsWith('https://'),
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  });
  return session;
}
