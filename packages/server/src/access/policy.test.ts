import { describe, expect, it } from 'vitest';
import { decideEnvironmentAction, decideProjectAction, environmentActions, projectActions, type EnvironmentAction, type Grant } from './policy.js';
import { formatPermissions, parsePermissions } from './permissions.js';

const grant = (projectRole: Grant['projectRole'], typeRoles: Grant['typeRoles'] = {}, isInstanceAdmin = false): Grant => ({ isInstanceAdmin, projectRole, typeRoles });

describe('policy', () => {
  const contributorActions: EnvironmentAction[] = ['environment:view', 'environment:branch', 'environment:push', 'environment:ssh', 'environment:source-operation'];
  const adminOnly: EnvironmentAction[] = ['environment:force-push', 'environment:backup', 'environment:manage', 'environment:variables'];

  it.each([
    ['viewer', ['environment:view']],
    ['contributor', contributorActions],
    ['admin', [...contributorActions, ...adminOnly]],
  ] as const)('an environment-type %s may do exactly %j on that type', (role, allowedActions) => {
    const g = grant('viewer', { development: role });
    for (const action of Object.keys(environmentActions) as EnvironmentAction[]) {
      expect(decideEnvironmentAction(g, action, 'development').allowed, action).toBe((allowedActions as readonly string[]).includes(action));
      expect(decideEnvironmentAction(g, action, 'production').allowed, `${action} on production`).toBe(false);
    }
  });

  it('makes project admins and instance admins admin on every environment type', () => {
    for (const g of [grant('admin'), grant(null, {}, true)]) {
      for (const action of Object.keys(environmentActions) as EnvironmentAction[]) {
        for (const type of ['production', 'staging', 'development'] as const) expect(decideEnvironmentAction(g, action, type).allowed).toBe(true);
      }
      for (const action of Object.keys(projectActions) as Array<keyof typeof projectActions>) expect(decideProjectAction(g, action).allowed).toBe(true);
    }
  });

  it('names the missing permission', () => {
    expect(decideEnvironmentAction(grant('viewer', { production: 'contributor' }), 'environment:backup', 'production')).toEqual({
      allowed: false,
      missing: 'production:admin',
      message: 'You need the admin role on production environments to create or restore backups.',
    });
    expect(decideProjectAction(grant('viewer'), 'access:manage')).toMatchObject({ allowed: false, missing: 'admin' });
    expect(decideProjectAction(grant(null), 'project:view')).toMatchObject({ allowed: false, missing: 'viewer' });
  });
});

describe('permission strings', () => {
  it('parses the Platform.sh forms and drops type roles for admins', () => {
    expect(parsePermissions(['viewer', 'development:contributor'])).toEqual({ role: 'viewer', typeRoles: { development: 'contributor' } });
    expect(parsePermissions(['development:admin'])).toEqual({ role: 'viewer', typeRoles: { development: 'admin' } });
    expect(parsePermissions(['admin', 'production:viewer'])).toEqual({ role: 'admin', typeRoles: {} });
    expect(formatPermissions(parsePermissions(['production:viewer', 'viewer', 'staging:contributor']))).toEqual(['viewer', 'production:viewer', 'staging:contributor']);
  });

  it('refuses unknown and conflicting permissions with a clear message', () => {
    expect(() => parsePermissions(['owner'])).toThrow(/Unknown permission "owner"/);
    expect(() => parsePermissions(['qa:viewer'])).toThrow(/Unknown permission/);
    expect(() => parsePermissions(['development:owner'])).toThrow(/Unknown permission/);
    expect(() => parsePermissions(['admin', 'viewer'])).toThrow(/Conflicting project roles/);
  });
});
