import type { FastifyError, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { ApiError } from '../http/errors.js';
import { TOKEN_EXPIRES_AT_HEADER, tokenExpiresAtValue } from '../http/token-expiry-header.js';
import { authenticateClient } from './client-authentication.js';
import { invalidApiToken, OAuthError } from './oauth-error.js';
import { isWellFormedApiToken } from './api-token-format.js';
import { TOKEN_EXCHANGE_GRANT, tokenExchangeGrant } from '../federation/token-exchange-grant.js';
import { JwksResponse, OAuthErrorBody, RevokeRequestBody, TokenRequestBody, TokenResponse } from './schemas.js';

export const oauth2Routes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'apiTokens' | 'audit' | 'exchangeThrottle' | 'keylessExchange' | 'logger' | 'revocations' | 'signingKeys' | 'tokenExchange' | 'users' | 'vendor' | 'verifier'> }> = async (app, { services }) => {
  const clients = services.vendor.oauth2ClientIds;
  const tokenPrefix = services.vendor.apiTokenPrefix;
  const tags = ['OAuth2'];

  app.setErrorHandler((error: FastifyError | OAuthError, request, reply) => {
    if (error instanceof OAuthError) return sendOAuthError(reply, error);
    if (error.validation || (error.statusCode && error.statusCode < 500)) {
      return sendOAuthError(reply, new OAuthError(error.statusCode === 413 ? 413 : 400, 'invalid_request', error.message));
    }
    request.log.error({ err: error }, 'token endpoint failed');
    return sendOAuthError(reply, new OAuthError(500, 'server_error', 'The token could not be issued.'));
  });

  app.post(
    '/oauth2/token',
    {
      config: { requires: 'public' },
      schema: {
        operationId: 'oauth2-token',
        tags,
        summary: 'Exchange an API token (grant_type=api_token) or a CI OIDC id-token (RFC 8693 token exchange) for a short-lived access token',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequestBody,
        response: { 200: TokenResponse, 400: OAuthErrorBody, 401: OAuthErrorBody, 429: OAuthErrorBody, 503: OAuthErrorBody },
      },
    },
    async (request, reply) => {
      const address = request.ip;
      const wait = services.exchangeThrottle.retryAfter(address);
      if (wait > 0) throw tooManyFailures(wait);
      const body = request.body;
      const clientId = authenticateClient(request, body.client_id, clients);
      if (!body.grant_type) throw new OAuthError(400, 'invalid_request', 'The grant_type parameter is missing.');
      if (body.grant_type === TOKEN_EXCHANGE_GRANT) {
        void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        return tokenExchangeGrant(services, body, clientId, address);
      }
      if (body.grant_type !== 'api_token') {
        throw new OAuthError(400, 'unsupported_grant_type', `The grant type "${body.grant_type.slice(0, 40)}" is not supported.`);
      }
      const token = body.api_token?.trim();
      if (!token) throw new OAuthError(400, 'invalid_request', 'The api_token parameter is missing.');
      const issued = services.tokenExchange.reuse(token, clientId, address) ?? (await checkApiToken(token, clientId, address));
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      if (issued.apiTokenExpiresAt !== undefined) void reply.header(TOKEN_EXPIRES_AT_HEADER, tokenExpiresAtValue(issued.apiTokenExpiresAt));
      return { access_token: issued.accessToken, expires_in: issued.expiresIn, token_type: 'bearer' as const };
    },
  );

  /** Whoever holds a token may revoke it; the trail names its owner and API token, never the token. */
  async function auditRevocation(address: string, action: string, userId: string, apiTokenId: string | null, targetId: string) {
    const [user, apiToken] = await Promise.all([services.users.findById(userId), apiTokenId ? services.apiTokens.findById(apiTokenId) : undefined]);
    const actor = { userId, email: user?.email ?? null, authMethod: 'api_token' as const, apiTokenId, apiTokenName: apiToken?.name ?? null, clientIp: address };
    await services.audit.record(actor, { action, projectId: null, targetType: action.split('.')[0]!, targetId, details: { name: apiToken?.name ?? null, via: 'oauth2/revoke' } });
  }

  /**
   * A token that needs a database lookup: counted by the throttle first, forgiven as soon as it
   * proved valid — before its access token is signed, so that a fleet's parallel exchanges from
   * one address are never counted as pending failures while they wait for a signature.
   */
  async function checkApiToken(token: string, clientId: string, address: string) {
    const wait = services.exchangeThrottle.admit(address);
    if (wait > 0) throw tooManyFailures(wait);
    let forgiven = false;
    const forgive = () => {
      if (!forgiven) services.exchangeThrottle.forgive(address);
      forgiven = true;
    };
    const issued = await services.tokenExchange.exchange(token, clientId, address, forgive);
    if (!issued) throw invalidApiToken();
    forgive();
    return issued;
  }

  app.post(
    '/oauth2/revoke',
    {
      config: { requires: 'public' },
      schema: {
        operationId: 'oauth2-revoke',
        tags,
        summary: 'Revoke an access token or an API token (RFC 7009)',
        consumes: ['application/x-www-form-urlencoded'],
        body: RevokeRequestBody,
        response: { 200: Type.Object({}), 400: OAuthErrorBody, 401: OAuthErrorBody },
      },
    },
    async (request) => {
      authenticateClient(request, request.body.client_id, clients);
      const token = request.body.token?.trim();
      if (!token) throw new OAuthError(400, 'invalid_request', 'The token parameter is missing.');
      if (isWellFormedApiToken(token, tokenPrefix)) {
        const found = await services.apiTokens.findUsable(token);
        if (found && (await services.apiTokens.revoke(found.user_id, found.id))) {
          await services.revocations.announce({ kind: 'api_token', id: found.id });
          await auditRevocation(request.ip, 'api_token.revoke', found.user_id, found.id, found.id);
        }
        return {};
      }
      // RFC 7009 §2.2: an invalid or unknown token is not an error.
      const claims = await services.verifier.verify(token).catch((error: unknown) => {
        if (error instanceof ApiError) return undefined;
        throw error;
      });
      if (claims) {
        await services.revocations.revokeAccessToken(claims.jti, new Date(claims.expiresAt * 1000).toISOString());
        await auditRevocation(request.ip, 'access_token.revoke', claims.userId, claims.apiTokenId, claims.jti);
      }
      return {};
    },
  );

  app.get(
    '/oauth2/jwks',
    { config: { requires: 'public' }, schema: { operationId: 'oauth2-jwks', tags, summary: 'Public keys that verify access tokens', response: { 200: JwksResponse } } },
    async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      return { keys: services.signingKeys.all().map((key) => key.publicJwk) };
    },
  );
};

function tooManyFailures(wait: number): OAuthError {
  return new OAuthError(429, 'too_many_requests', `Too many failed token requests. Try again in ${wait} seconds.`, wait);
}

function sendOAuthError(reply: FastifyReply, error: OAuthError) {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (error.retryAfterSeconds) void reply.header('retry-after', String(error.retryAfterSeconds));
  if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="oauth2"');
  return reply.status(error.status).send({ error: error.error, error_description: error.description });
}
