import type { Environment } from '../api-types.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Selection } from '../selection/selection.js';
import { getVariable, levelOf, type Variable, type VariableLevel, type VariableTarget } from './variable-api.js';

/** The project, and the environment when one is selected, detected, or required by `--level`. */
export interface VariableScope {
  projectId: string;
  environment: Environment | undefined;
}

/**
 * `-l project` needs no environment; `-l environment` needs one (exit 1 when none can be
 * found); without `-l` the environment is used when one is at hand, as in the Platform.sh CLI.
 */
export async function resolveScope(selection: Selection, level: VariableLevel | undefined): Promise<VariableScope> {
  const projectId = await selection.projectId();
  if (level === 'project') return { projectId, environment: undefined };
  const environment = level === 'environment' ? await selection.environment() : await selection.optionalEnvironment();
  return { projectId, environment };
}

export function projectTarget(scope: VariableScope): VariableTarget {
  return { level: 'project', projectId: scope.projectId };
}

export function environmentTarget(scope: VariableScope): VariableTarget | undefined {
  return scope.environment ? { level: 'environment', projectId: scope.projectId, environmentId: scope.environment.id } : undefined;
}

/** Where a found variable is changed or deleted. */
export function targetOf(scope: VariableScope, variable: Variable): VariableTarget {
  const target = levelOf(variable) === 'environment' ? environmentTarget(scope) : projectTarget(scope);
  if (!target) throw new Error('an environment variable was found without an environment');
  return target;
}

/**
 * The variable by name, as the Platform.sh CLI's getExistingVariable finds it: the environment's
 * first (own or inherited), then the project's; found at both without `-l` is an error.
 */
export async function requireVariable(ctx: Context, scope: VariableScope, name: string, level: VariableLevel | undefined): Promise<Variable> {
  const atEnvironment = environmentTarget(scope);
  if (atEnvironment && level !== 'project') {
    const [variable, projectVariable] = await Promise.all([
      getVariable(ctx, atEnvironment, name),
      level === undefined ? getVariable(ctx, projectTarget(scope), name) : Promise.resolve(undefined),
    ]);
    if (variable && projectVariable) {
      throw new CliError(
        'generic',
        `Variable found at both project and environment levels: ${name}\nTo select a variable, use the --level option ('project' or 'environment').`,
      );
    }
    if (variable) return variable;
    if (projectVariable) return projectVariable;
    if (level === 'environment') throw new CliError('generic', `Variable not found: ${name}`);
  }
  const variable = await getVariable(ctx, projectTarget(scope), name);
  if (!variable) throw new CliError('generic', `Variable not found: ${name}`);
  return variable;
}
