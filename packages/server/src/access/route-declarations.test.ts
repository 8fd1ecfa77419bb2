/**
 * Every route declares what it requires (`config.requires`, resolved by `route-requirements.ts`),
 * and the declarations are this table: a changed permission shows up here, in review.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config.js';
import { createLogger } from '../logging.js';
import { createServices, type Services } from '../services.js';
import { buildApp } from '../app.js';
import type { RouteRequirement } from './route-requirements.js';

const expected: [route: string, requires: RouteRequirement][] = [
  ['GET /healthz', 'public'],
  ['GET /readyz', 'public'],
  ['POST /oauth2/token', 'public'],
  ['POST /oauth2/revoke', 'public'],
  ['GET /oauth2/jwks', 'public'],
  ['POST /auth/login', 'public'],
  ['GET /auth/session', 'public'],
  ['POST /auth/logout', 'public'],
  ['GET /users/me', 'authenticated'],
  ['GET /users/:user_id', 'user:view'],
  ['GET /users/email=:email', 'authenticated'],
  ['POST /users/:user_id/deactivate', 'user:deactivate'],
  ['POST /users/:user_id/reactivate', 'user:reactivate'],
  ['GET /users/:user_id/api-tokens', 'user:api-tokens'],
  ['POST /users/:user_id/api-tokens', 'user:api-tokens'],
  ['GET /users/:user_id/api-tokens/:token_id', 'user:api-tokens'],
  ['POST /users/:user_id/api-tokens/:token_id/rotate', 'user:api-tokens'],
  ['DELETE /users/:user_id/api-tokens/:token_id', 'user:api-tokens'],
  ['GET /users/:user_id/trust-policies', 'user:trust-policies'],
  ['POST /users/:user_id/trust-policies', 'user:trust-policies'],
  ['GET /users/:user_id/trust-policies/:policy_id', 'user:trust-policies'],
  ['DELETE /users/:user_id/trust-policies/:policy_id', 'user:trust-policies'],
  ['GET /projects', 'authenticated'],
  ['POST /projects', 'project:create'],
  ['GET /projects/:projectId', 'project:view'],
  ['PATCH /projects/:projectId', 'project:edit'],
  ['DELETE /projects/:projectId', 'project:delete'],
  ['GET /projects/:projectId/environments', 'project:view'],
  ['GET /projects/:projectId/environments/:environmentId', 'environment:view'],
  ['GET /projects/:projectId/environments/:environmentId/settings', 'environment:view'],
  ['PATCH /projects/:projectId/environments/:environmentId', 'environment:manage'],
  ['POST /projects/:projectId/environments/:environmentId/branch', 'environment:branch'],
  ['POST /projects/:projectId/environments/:environmentId/activate', 'environment:manage'],
  ['POST /projects/:projectId/environments/:environmentId/deactivate', 'environment:manage'],
  ['GET /projects/:projectId/environment-types', 'project:view'],
  ['GET /projects/:projectId/environment-types/:environmentTypeId', 'project:view'],
  ['GET /projects/:project_id/user-access', 'access:view'],
  ['POST /projects/:project_id/user-access', 'access:manage'],
  ['GET /projects/:project_id/user-access/:user_id', 'project:view'],
  ['PATCH /projects/:project_id/user-access/:user_id', 'access:manage'],
  ['DELETE /projects/:project_id/user-access/:user_id', 'access:manage'],
  ['GET /users/:user_id/extended-access', 'user:access:view'],
  ['GET /ref/projects', 'authenticated'],
  ['GET /ref/users', 'authenticated'],
  ['GET /auth/check', 'authenticated'],
  ['GET /projects/:project_id/access', 'access:view'],
  ['GET /projects/:project_id/access/:user_id', 'access:view'],
  ['GET /me', 'authenticated'],
  ['GET /organizations/:organization_id', 'authenticated'],
  ['GET /ref/organizations', 'authenticated'],
  ['POST /projects/:project_id/invitations', 'access:manage'],
  ['GET /projects/:project_id/invitations', 'access:manage'],
  ['DELETE /projects/:project_id/invitations/:invitation_id', 'access:manage'],
  ['GET /projects/:project_id/audit', 'audit:view'],
  ['GET /users/me/audit', 'authenticated'],
  ['GET /projects/:projectId/variables', 'project-variables:view'],
  ['POST /projects/:projectId/variables', 'project-variables:manage'],
  ['GET /projects/:projectId/variables/:projectVariableId', 'project-variables:view'],
  ['PATCH /projects/:projectId/variables/:projectVariableId', 'project-variables:manage'],
  ['DELETE /projects/:projectId/variables/:projectVariableId', 'project-variables:manage'],
  ['GET /projects/:projectId/environments/:environmentId/variables', 'environment:view'],
  ['POST /projects/:projectId/environments/:environmentId/variables', 'environment:variables'],
  ['GET /projects/:projectId/environments/:environmentId/variables/:variableId', 'environment:view'],
  ['PATCH /projects/:projectId/environments/:environmentId/variables/:variableId', 'environment:variables'],
  ['DELETE /projects/:projectId/environments/:environmentId/variables/:variableId', 'environment:variables'],
  ['GET /projects/:projectId/activities', 'project:view'],
  ['GET /projects/:projectId/environments/:environmentId/activities', 'environment:view'],
  ['GET /projects/:projectId/activities/:activityId', 'project:view'],
  ['GET /projects/:projectId/environments/:environmentId/activities/:activityId', 'project:view'],
  ['POST /projects/:projectId/activities/:activityId/cancel', 'project:view'],
  ['POST /projects/:projectId/environments/:environmentId/activities/:activityId/cancel', 'project:view'],
  ['GET /projects/:projectId/activities/:activityId/log', 'project:view'],
  ['POST /projects/:projectId/environments/:environmentId/backup', 'environment:backup'],
  ['GET /projects/:projectId/environments/:environmentId/backups', 'environment:view'],
  ['GET /projects/:projectId/environments/:environmentId/backups/:backupId', 'environment:view'],
  ['DELETE /projects/:projectId/environments/:environmentId/backups/:backupId', 'environment:backup'],
  ['POST /projects/:projectId/environments/:environmentId/backups/:backupId/restore', 'environment:backup'],
  ['POST /ssh', 'authenticated'],
  ['GET /projects/:projectId/environments/:environmentId/source-operations', 'environment:view'],
  ['POST /projects/:projectId/environments/:environmentId/source-operation', 'environment:source-operation'],
  ['GET /projects/:projectId/environments/:environmentId/crons', 'environment:view'],
  ['POST /projects/:projectId/environments/:environmentId/crons/:cronName/run', 'environment:source-operation'],
  ['POST /projects/:projectId/environments/:environmentId/redeploy', 'environment:manage'],
  ['GET /invitations/:token', 'public'],
  ['POST /invitations/:token/accept', 'public'],
  ['GET /', 'public'],
  ['GET /sign-up', 'public'],
  ['GET /console', 'public'],
  ['GET /console/*', 'public'],
  ['GET /ssh/authority', 'public'],
  ['GET /cli/install.sh', 'public'],
  ['GET /cli/cli.cjs', 'public'],
  ['GET /openapi.json', 'public'],
  ['GET /metrics', 'public'],
];

/** `@fastify/static` takes no route config: the console's hashed assets are public files. */
const undeclared = ['GET /assets/*', 'HEAD /assets/*'];

describe('route declarations', () => {
  let dataDir: string;
  let services: Services;
  let app: FastifyInstance;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-route-declarations-'));
    // With a scrape token, so that the metrics route is registered too.
    services = await createServices(loadConfig({ PIER_DATA_DIR: dataDir, PIER_METRICS_TOKEN: 'route-declarations-scrape-token' }), createLogger('silent'));
    app = await buildApp(services);
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await services.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every route has a declaration', () => {
    const missing = app.declaredRoutes.filter((route) => route.requires === undefined).map((route) => `${route.method} ${route.url}`);
    expect(missing.sort()).toEqual([...undeclared].sort());
  });

  it('the declarations are the expected table', () => {
    const declared = app.declaredRoutes.filter((route) => route.method !== 'HEAD' && route.requires !== undefined).map((route) => [`${route.method} ${route.url}`, route.requires]);
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(expected));
    expect(declared).toHaveLength(expected.length);
  });

  it('a HEAD route requires what its GET route requires', () => {
    const requires = new Map(app.declaredRoutes.map((route) => [`${route.method} ${route.url}`, route.requires]));
    for (const route of app.declaredRoutes.filter((r) => r.method === 'HEAD')) expect(route.requires).toBe(requires.get(`GET ${route.url}`));
  });
});
