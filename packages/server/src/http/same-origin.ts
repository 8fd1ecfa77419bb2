import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/**
 * Routes that set the session cookie (login, invitation acceptance) and logout refuse requests a
 * browser sends on behalf of another site (login CSRF): `Sec-Fetch-Site` when the browser sends
 * it, else `Origin`. Command-line clients send neither and are not concerned.
 */
export function requireSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') throw crossSite();
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const own = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.host}`]);
  if (!own.has(origin)) throw crossSite();
}

/** Cookie-setting routes take JSON only: an HTML form cannot send it cross-site without CORS. */
export function requireJsonBody(request: FastifyRequest): void {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError('unsupported_media_type', 'Send a JSON body (Content-Type: application/json).');
}

function crossSite(): ApiError {
  return new ApiError('forbidden', 'Requests from another site cannot log in or out here.');
}
