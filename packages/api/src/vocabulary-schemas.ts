import { Type } from 'typebox';
import { branchableEnvironmentTypes, environmentRoles, environmentTypes, projectRoles } from './vocabulary.js';

/**
 * The vocabulary as TypeBox schemas for the server's routes: each a string `enum` in the OpenAPI
 * document. Kept apart from `vocabulary.ts` so the clients, which need only the arrays, do not
 * bundle TypeBox; like it, this file must not import the generated `schema.ts`.
 */
export const EnvironmentTypeSchema = Type.Enum(environmentTypes, { type: 'string' });
export const BranchableEnvironmentTypeSchema = Type.Enum(branchableEnvironmentTypes, { type: 'string' });
export const EnvironmentRoleSchema = Type.Enum(environmentRoles, { type: 'string' });
export const ProjectRoleSchema = Type.Enum(projectRoles, { type: 'string' });
export const TypePermissionSchema = Type.Object({ type: EnvironmentTypeSchema, role: EnvironmentRoleSchema });
