/**
 * The words of Pier's access model, declared once: the server's route schemas are built from these
 * (`vocabulary-schemas.ts`, so the OpenAPI document lists them as enums), and the CLI and the
 * console read the same arrays. Roles are listed from the least to the most powerful; the policy
 * ranks them in this order. No TypeBox here: the CLI and the console bundle this file.
 *
 * This file must not import the generated `schema.ts`: the server imports it to produce the
 * OpenAPI document that `schema.ts` is generated from.
 */

export const environmentTypes = ['production', 'staging', 'development'] as const;
export type EnvironmentType = (typeof environmentTypes)[number];

/** The types a new environment may be branched as (production is the project's main one). */
export const branchableEnvironmentTypes = ['development', 'staging'] as const satisfies readonly EnvironmentType[];
export type BranchableEnvironmentType = (typeof branchableEnvironmentTypes)[number];

/** A role on the environments of one type. */
export const environmentRoles = ['viewer', 'contributor', 'admin'] as const;
export type EnvironmentRole = (typeof environmentRoles)[number];

/** A role on the project: an admin is admin of every environment; a viewer gets roles per type. */
export const projectRoles = ['viewer', 'admin'] as const;
export type ProjectRole = (typeof projectRoles)[number];

/** Platform.sh permission strings: a project role, or `TYPE:ROLE` (`development:contributor`). */
export const permissionPattern = `^(${projectRoles.join('|')}|(${environmentTypes.join('|')}):(${environmentRoles.join('|')}))$`;

/** A project role and roles per type as permission strings; a project admin is admin everywhere, so only `admin`. */
export function permissionStrings(role: ProjectRole, typeRoles: Partial<Record<EnvironmentType, EnvironmentRole | ''>>): string[] {
  if (role === 'admin') return ['admin'];
  return ['viewer', ...environmentTypes.flatMap((type) => (typeRoles[type] ? [`${type}:${typeRoles[type]}`] : []))];
}

export function isEnvironmentType(value: string): value is EnvironmentType {
  return (environmentTypes as readonly string[]).includes(value);
}

export function isEnvironmentRole(value: string): value is EnvironmentRole {
  return (environmentRoles as readonly string[]).includes(value);
}

export function isBranchableEnvironmentType(value: string): value is BranchableEnvironmentType {
  return (branchableEnvironmentTypes as readonly string[]).includes(value);
}
