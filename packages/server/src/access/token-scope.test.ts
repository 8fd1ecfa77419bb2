import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { environmentRoles, environmentTypes } from '@pier/api/vocabulary';
import { decideEnvironmentAction, decideProjectAction, environmentActions, projectActions, type EnvironmentAction, type Grant, type ProjectAction } from './policy.js';
import { parseTokenScope, scopeLimitFor, tokenScopeToBody } from './token-scope.js';

const roleOrNone = fc.constantFrom(...environmentRoles, undefined);
const typeRoles = fc.record({ production: roleOrNone, staging: roleOrNone, development: roleOrNone }).map((roles) => Object.fromEntries(Object.entries(roles).filter(([, role]) => role !== undefined)));
const grantArbitrary = fc.record({
  isInstanceAdmin: fc.boolean(),
  projectRole: fc.constantFrom('admin' as const, 'viewer' as const, null),
  typeRoles,
});
const limitArbitrary = fc.record({ projectRole: fc.constantFrom('admin' as const, 'viewer' as const, null), typeRoles });
const environmentAction = fc.constantFrom(...(Object.keys(environmentActions) as EnvironmentAction[]));
const projectAction = fc.constantFrom(...(Object.keys(projectActions) as ProjectAction[]));
const environmentType = fc.constantFrom(...environmentTypes);

describe('token scope', () => {
  it('allows exactly what both the user and the scope (read as a grant) allow, and says which one refused', () => {
    fc.assert(
      fc.property(grantArbitrary, limitArbitrary, environmentAction, environmentType, (user, limit, action, type) => {
        const scoped: Grant = { ...user, limit };
        const byUser = decideEnvironmentAction(user, action, type);
        const byScope = decideEnvironmentAction({ isInstanceAdmin: false, ...limit }, action, type);
        const both = decideEnvironmentAction(scoped, action, type);
        expect(both.allowed).toBe(byUser.allowed && byScope.allowed);
        if (!byUser.allowed) expect(both).toEqual(byUser);
        else if (!byScope.allowed) expect(both).toMatchObject({ allowed: false, missing: `token scope ${byScope.missing}` });
      }),
    );
  });

  it('narrows project actions the same way', () => {
    fc.assert(
      fc.property(grantArbitrary, limitArbitrary, projectAction, (user, limit, action) => {
        const both = decideProjectAction({ ...user, limit }, action);
        const byScope = decideProjectAction({ isInstanceAdmin: false, ...limit }, action);
        expect(both.allowed).toBe(decideProjectAction(user, action).allowed && byScope.allowed);
      }),
    );
  });

  it('reads and writes the access vocabulary, and leaves out projects it does not name', () => {
    const scope = parseTokenScope([{ project_id: 'p1', permissions: ['viewer', 'development:contributor'] }]);
    expect(tokenScopeToBody(scope)).toEqual([{ project_id: 'p1', permissions: ['viewer', 'development:contributor'] }]);
    expect(scopeLimitFor(scope, 'p1')).toEqual({ projectRole: 'viewer', typeRoles: { development: 'contributor' } });
    expect(scopeLimitFor(scope, 'p2')).toEqual({ projectRole: null, typeRoles: {} });
    expect(() => parseTokenScope([{ project_id: 'p1', permissions: ['viewer'] }, { project_id: 'p1', permissions: ['admin'] }])).toThrow(/twice/);
  });
});
