import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from './services.js';
import { answerClientError, answerFrameworkError, registerErrorHandling } from './http/errors.js';
import { registerValidation } from './http/validation.js';
import { refuseUnstorableText } from './http/text-input.js';
import { trustedProxies } from './http/client-address.js';
import { OneLinePerRequest } from './http/request-logging.js';
import { requireAuthentication } from './http/authenticate.js';
import { registerRouteRequirements } from './access/route-requirements.js';
import { healthRoutes } from './health/routes.js';
import { oauth2Routes } from './auth/oauth2-routes.js';
import { sessionRoutes } from './auth/session-routes.js';
import { apiTokenRoutes } from './auth/api-token-routes.js';
import { trustPolicyRoutes } from './federation/routes.js';
import { userRoutes } from './users/routes.js';
import { openApiDocumentation } from './openapi/document.js';
import { projectRoutes } from './projects/routes.js';
import { environmentRoutes } from './environments/routes.js';
import { userAccessRoutes } from './access/user-access-routes.js';
import { extendedAccessRoutes } from './access/extended-access-routes.js';
import { refRoutes } from './access/ref-routes.js';
import { permissionCheckRoutes } from './access/check-routes.js';
import { legacyAccessRoutes } from './access/legacy-access-routes.js';
import { legacyMeRoutes } from './users/legacy-me-routes.js';
import { organizationRoutes } from './organizations/routes.js';
import { invitationRoutes } from './access/invitation-routes.js';
import { signUpRoutes } from './access/sign-up-routes.js';
import { auditRoutes } from './audit/routes.js';
import { projectVariableRoutes } from './variables/project-routes.js';
import { environmentVariableRoutes } from './variables/environment-routes.js';
import { activityRoutes } from './activities/routes.js';
import { backupRoutes } from './backups/routes.js';
import { consoleRoutes } from './console/routes.js';
import { sshCertificateRoutes, sshAuthorityRoutes } from './ssh/routes.js';
import { sourceOperationRoutes } from './source-operations/routes.js';
import { cliDistributionRoutes } from './cli-distribution/routes.js';
import { runtimeRoutes } from './runtime/routes.js';
import type { TlsFiles } from './operations/tls.js';
import { metricsRoute, recordHttpMetrics } from './metrics/scrape-endpoint.js';
import { lazySerializers } from './http/lazy-serializers.js';

/** Builds the HTTP application: registers plugins and route groups, nothing else. */
export async function buildApp(services: Services, tls?: TlsFiles): Promise<FastifyInstance> {
  const options = {
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: trustedProxies(services.config.trustProxy),
    logController: new OneLinePerRequest(services.logger),
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    schemaController: lazySerializers(),
  };
  // An HTTPS server differs from an HTTP one only in its socket class, which no route sees.
  const server = (tls ? Fastify({ ...options, https: tls }) : Fastify(options)) as unknown as FastifyInstance;
  const app = server.withTypeProvider<TypeBoxTypeProvider>();

  // Before any route, so that every route is measured.
  recordHttpMetrics(app, services);
  registerErrorHandling(app);
  registerValidation(app);
  refuseUnstorableText(app);
  // Before any route: it sees every route and gives those with a scoped requirement the one preHandler that resolves it.
  registerRouteRequirements(app, services);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(swagger, openApiDocumentation(services));

  await app.register(healthRoutes, { services });
  await app.register(oauth2Routes, { services });
  await app.register(sessionRoutes, { services });
  await app.register(async (api) => {
    requireAuthentication(api, services);
    await api.register(userRoutes, { services });
    await api.register(apiTokenRoutes, { services });
    await api.register(trustPolicyRoutes, { services });
    await api.register(projectRoutes, { services });
    await api.register(environmentRoutes, { services });
    await api.register(userAccessRoutes, { services });
    await api.register(extendedAccessRoutes, { services });
    await api.register(refRoutes, { services });
    await api.register(permissionCheckRoutes, { services });
    await api.register(legacyAccessRoutes, { services });
    await api.register(legacyMeRoutes, { services });
    await api.register(organizationRoutes, { services });
    await api.register(invitationRoutes, { services });
    await api.register(auditRoutes, { services });
    await api.register(projectVariableRoutes, { services });
    await api.register(environmentVariableRoutes, { services });
    await api.register(activityRoutes, { services });
    await api.register(backupRoutes, { services });
    await api.register(sshCertificateRoutes, { services });
    await api.register(sourceOperationRoutes, { services });
    await api.register(runtimeRoutes, { services });
  });
  await app.register(signUpRoutes, { services });
  await app.register(consoleRoutes, { services });
  await app.register(sshAuthorityRoutes, { services });
  await app.register(cliDistributionRoutes, { services });

  metricsRoute(app, services);
  app.get('/openapi.json', { config: { requires: 'public' }, schema: { hide: true } }, async () => app.swagger());
  return app;
}

