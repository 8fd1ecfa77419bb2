import { describe, expect, it } from 'vitest';
import { environmentRoles, environmentTypes, permissionPattern, projectRoles } from './vocabulary.js';
import { EnvironmentRoleSchema, EnvironmentTypeSchema, ProjectRoleSchema } from './vocabulary-schemas.js';

describe('the access vocabulary', () => {
  it('gives the OpenAPI document one string enum per word list', () => {
    expect(EnvironmentTypeSchema).toMatchObject({ type: 'string', enum: ['production', 'staging', 'development'] });
    expect(EnvironmentRoleSchema).toMatchObject({ type: 'string', enum: ['viewer', 'contributor', 'admin'] });
    expect(ProjectRoleSchema).toMatchObject({ type: 'string', enum: ['viewer', 'admin'] });
  });

  it('accepts exactly the Platform.sh permission strings', () => {
    const pattern = new RegExp(permissionPattern);
    const valid = [...projectRoles, ...environmentTypes.flatMap((type) => environmentRoles.map((role) => `${type}:${role}`))];
    expect(valid.filter((permission) => !pattern.test(permission))).toEqual([]);
    for (const invalid of ['', 'contributor', 'production', 'production:owner', 'preview:viewer', 'admin:admin', 'development:viewer:x', ' viewer']) {
      expect(pattern.test(invalid), invalid).toBe(false);
    }
  });
});
