import { CERTIFICATE_EXTENSIONS } from './identify.js';
import { tokenScopeToBody } from '../access/token-scope.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { principalOf } from '../http/authenticate.js';
import { ApiError, ErrorBody } from '../http/errors.js';
import { actorOf } from '../audit/audit-log.js';
import { parsePublicKeyLine, PublicKeyError } from './public-keys.js';
import { permitExtensions, signCertificate, USER_CERTIFICATE } from './certificates.js';
import { gatewayLoginUser } from './gateway-accounts.js';

export const CERTIFICATE_TTL_SECONDS = 3600;
/** Certificates start a little in the past so a client clock that runs behind still accepts them. */
const BACKDATE_SECONDS = 300;

export const sshCertificateRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'audit' | 'config' | 'sshAuthority' | 'users' | 'vendor'> }> = async (app, { services }) => {
  const tags = ['SSH'];

  app.post(
    '/ssh',
    {
      config: { requires: 'authenticated' },
      schema: {
        operationId: 'create-ssh-certificate',
        tags,
        summary: 'Sign an SSH public key: a one-hour OpenSSH user certificate for the caller',
        body: Type.Object({ key: Type.String({ minLength: 20, maxLength: 16_384 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ certificate: Type.String() }, { title: 'SshCertificate' }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      let key;
      try {
        key = parsePublicKeyLine(request.body.key);
      } catch (error) {
        if (error instanceof PublicKeyError) throw new ApiError('invalid_request', error.message, { field: 'key' });
        throw error;
      }
      const user = await services.users.findRecentById(principal.userId);
      if (!user || user.deactivated === 1) throw new ApiError('invalid_token', 'The user of this access token cannot log in.');
      const now = Date.now();
      const extensions: Record<string, string> = Object.fromEntries(permitExtensions.map((name) => [name, '']));
      extensions[CERTIFICATE_EXTENSIONS.authMethod] = principal.via;
      extensions[CERTIFICATE_EXTENSIONS.issuedAt] = String(now);
      if (principal.apiTokenId) extensions[CERTIFICATE_EXTENSIONS.apiTokenId] = principal.apiTokenId;
      if (principal.scope) extensions[CERTIFICATE_EXTENSIONS.scope] = JSON.stringify(tokenScopeToBody(principal.scope));
      const certificate = signCertificate(
        services.sshAuthority,
        {
          key,
          type: USER_CERTIFICATE,
          keyId: user.id,
          principals: [user.id],
          validAfter: new Date(now - BACKDATE_SECONDS * 1000),
          validBefore: new Date(now + CERTIFICATE_TTL_SECONDS * 1000),
          extensions,
        },
        `${services.vendor.cliCommand}-${user.username}`,
      );
      await services.audit.record(await actorOf(services.audit, request), {
        action: 'ssh.certificate',
        projectId: null,
        targetType: 'user',
        targetId: user.id,
        details: { key_type: key.description, valid_seconds: CERTIFICATE_TTL_SECONDS },
      });
      return { certificate };
    },
  );

};

/** Public: gateways and clients fetch the CA keys without logging in. */
export const sshAuthorityRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'config' | 'sshAuthority' | 'vendor'> }> = async (app, { services }) => {
  const tags = ['SSH'];
  app.get(
    '/ssh/authority',
    {
      config: { requires: 'public' },
      schema: {
        operationId: 'list-ssh-authorities',
        tags,
        summary: 'Public keys of the certificate authority (for TrustedUserCAKeys and @cert-authority)',
        security: [],
        response: {
          200: Type.Object({
            authorities: Type.Array(Type.String()),
            gateway: Type.Object(
              { host: Type.String(), port: Type.Integer(), user: Type.String() },
              { description: 'Pier addition: where `pier-server ssh-gateway` listens and the login name for git and target-variable sessions (`<project>-<environment machine name>` also logs into that environment)' },
            ),
          }),
        },
      },
    },
    async () => ({
      authorities: [`${services.sshAuthority.publicLine}\n`],
      gateway: { host: services.config.ssh.host, port: services.config.ssh.port, user: gatewayLoginUser(services.config, services.vendor) },
    }),
  );
};
