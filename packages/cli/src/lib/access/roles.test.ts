import { describe, expect, it } from 'vitest';
import { applyRoleChanges, describeRoleChanges, parseRoleArguments, permissionsFromRoles, rolesFromPermissions } from './roles.js';

const types = ['production', 'staging', 'development'];

describe('the Platform.sh role syntax', () => {
  it('a value without ":" is the project role (first wins), TYPE:ROLE a type role, prefixes allowed', () => {
    const changes = parseRoleArguments(['v', 'admin', 'development:c,staging:VIEWER'], types);
    expect(changes.projectRole).toBe('viewer');
    expect([...changes.typeRoles]).toEqual([['development', 'contributor'], ['staging', 'viewer']]);
  });
  it('types take % and * wildcards; none removes a role', () => {
    expect([...parseRoleArguments(['%:viewer'], types).typeRoles.keys()]).toEqual(types);
    expect([...parseRoleArguments(['*ion:a'], types).typeRoles]).toEqual([['production', 'admin']]);
    const current = rolesFromPermissions(['viewer', 'production:viewer', 'development:admin']);
    const after = applyRoleChanges(current, parseRoleArguments(['prod%:none'], types));
    expect(permissionsFromRoles(after)).toEqual(['viewer', 'development:admin']);
    expect(describeRoleChanges(current, after)).toEqual(['    Role on type production: viewer -> none']);
  });
  it('names what it cannot match', () => {
    expect(() => parseRoleArguments(['owner'], types)).toThrow('Invalid role: owner');
    expect(() => parseRoleArguments(['development:x'], types)).toThrow('Invalid role: x');
    expect(() => parseRoleArguments(['qa:viewer'], types)).toThrow('No environment type IDs match: qa');
  });
  it('a project admin holds no type roles', () => {
    const after = applyRoleChanges(rolesFromPermissions(['viewer', 'staging:viewer']), parseRoleArguments(['admin'], types));
    expect(permissionsFromRoles(after)).toEqual(['admin']);
  });
});
