import type { Services } from '../services.js';
import type { Environment, Project } from '../db/schema.js';
import { ancestry, effectiveVariables } from './effective.js';
import { renderEnvironment, type Phase } from './render.js';
import { PROJECT_LEVEL } from './store.js';

/**
 * The process environment of an environment's build, runtime or SSH session: its effective
 * variables (sensitive values decrypted — this never leaves the machine) and the `<PREFIX>*`
 * variables that describe where the process runs.
 */
export async function runtimeEnvironment(
  services: Pick<Services, 'variables' | 'environments' | 'vendor' | 'config'>,
  project: Project,
  environment: Environment,
  phase: Phase = 'runtime',
): Promise<Record<string, string>> {
  const [projectRows, byEnvironment, environments] = await Promise.all([
    services.variables.list(project.id, PROJECT_LEVEL),
    services.variables.environmentRows(project.id),
    services.environments.list(project.id),
  ]);
  const effective = effectiveVariables(projectRows, ancestry(environments, environment.id), byEnvironment);
  const prefix = services.vendor.runtimeEnvPrefix;
  return {
    ...renderEnvironment(effective, phase, prefix, (v) => services.variables.reveal(v.row)),
    [`${prefix}PROJECT`]: project.id,
    [`${prefix}BRANCH`]: environment.id,
    [`${prefix}ENVIRONMENT`]: environment.machine_name,
    [`${prefix}ENVIRONMENT_TYPE`]: environment.type,
    [`${prefix}APPLICATION_NAME`]: 'app',
    [`${prefix}TREE_ID`]: environment.head_commit ?? '',
    // Where the server is: the CLI a build hook installs talks to it.
    [`${prefix}URL`]: services.config.publicUrl,
  };
}
