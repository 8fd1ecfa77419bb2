import type { FastifyRequest } from 'fastify';
import { OAuthError } from './oauth-error.js';

/**
 * Public clients identify themselves with a client id, in an HTTP Basic header (empty or any
 * secret; how the Platform.sh CLI and SDKs send it) or in the form body (league/oauth2-client).
 */
export function authenticateClient(request: FastifyRequest, bodyClientId: string | undefined, knownClients: readonly string[]): string {
  const headerClientId = basicClientId(request.headers.authorization);
  if (headerClientId !== undefined && bodyClientId !== undefined && headerClientId !== bodyClientId) {
    throw new OAuthError(400, 'invalid_request', 'The client id in the Authorization header and the body differ.');
  }
  const clientId = headerClientId ?? bodyClientId;
  if (!clientId) throw new OAuthError(401, 'invalid_client', 'Client authentication failed: no client id was sent.');
  if (!knownClients.includes(clientId)) throw new OAuthError(401, 'invalid_client', 'Client authentication failed: unknown client.');
  return clientId;
}

function basicClientId(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new OAuthError(401, 'invalid_client', 'Client authentication failed: malformed Authorization header.');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = colon === -1 ? decoded : decoded.slice(0, colon);
  try {
    return decodeURIComponent(id.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed: malformed client id.');
  }
}
