import { apiFailure } from '../api-client.js';
import type { Environment, Project } from '../api-types.js';
import { text, type OptionValues } from '../command.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { findLocalProject, type LocalProject } from './local-project.js';

export const projectOption = text('-p, --project <project>', 'The project ID or URL');
export const environmentOption = text(
  '-e, --environment <environment>',
  'The environment ID (branch name); "." selects the project\'s default environment',
);

/** `-p` and `-e`, for commands that act on an environment. */
export const selectionOptions = { project: projectOption, environment: environmentOption };

export type SelectionOptions = Partial<OptionValues<typeof selectionOptions>>;

/**
 * Which project and environment a command acts on, decided once for every command, in the
 * Platform.sh CLI's order (research §5):
 *
 * project:     -p/--project → <runtime prefix>PROJECT → <config dir>/local/project.yaml between
 *              the working directory and the git root → the checkout's platform git remote
 * environment: argument or -e/--environment → <runtime prefix>BRANCH → project.yaml `mapping`
 *              of the current branch → the current branch (only in a checkout of that project)
 */
export class Selection {
  private local: Promise<LocalProject | undefined> | undefined;
  private projectIdCache: Promise<string> | undefined;
  private projectCache: Promise<Project> | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly options: SelectionOptions,
  ) {}

  projectId(): Promise<string> {
    return (this.projectIdCache ??= this.detectProjectId());
  }

  /** The project, fetched once; a project the caller cannot see is reported by its id. */
  project(): Promise<Project> {
    return (this.projectCache ??= this.projectId().then(async (projectId) => {
      const result = await this.ctx.api().GET('/projects/{projectId}', { params: { path: { projectId } } });
      if (result.response.status === 404) throw new CliError('generic', `Specified project not found: ${projectId}`);
      if (!result.data) throw apiFailure(result.response, result.error, this.ctx.loginHelp());
      return result.data;
    }));
  }

  /** The environment id; `explicit` is a positional argument that stands in for -e. */
  async environmentId(explicit?: string): Promise<string> {
    const found = await this.findEnvironmentId(explicit);
    if (typeof found === 'string') return found;
    throw new CliError('generic', found.notFound);
  }

  /** As environmentId, but the project's default environment when none is selected or detected. */
  async environmentIdOrDefault(explicit?: string): Promise<string> {
    const found = await this.findEnvironmentId(explicit);
    return typeof found === 'string' ? found : (await this.project()).default_branch;
  }

  /** The environment, by branch name or machine name (the server matches either). */
  async environment(explicit?: string): Promise<Environment> {
    const [projectId, environmentId] = await Promise.all([this.projectId(), this.environmentId(explicit)]);
    return fetchEnvironment(this.ctx, projectId, environmentId);
  }

  /**
   * The selected or detected environment, or undefined when there is none: for commands that
   * work at project level unless an environment is at hand (variable:list, variable:get).
   */
  async optionalEnvironment(): Promise<Environment | undefined> {
    const found = await this.findEnvironmentId(undefined);
    if (typeof found !== 'string') return undefined;
    return fetchEnvironment(this.ctx, await this.projectId(), found);
  }

  private async findEnvironmentId(explicit: string | undefined): Promise<string | { notFound: string }> {
    const wanted = explicit ?? this.options.environment;
    if (wanted === '.') return (await this.project()).default_branch;
    if (wanted) return wanted;
    const variable = `${this.ctx.profile.runtimeEnvPrefix}BRANCH`;
    const fromVariable = this.ctx.env[variable];
    if (fromVariable) {
      this.ctx.io.debug(1, `Environment ID read from environment variable ${variable}: ${fromVariable}`);
      return fromVariable;
    }
    const local = await this.localProject();
    // A checkout's branch names an environment only of the checkout's own project.
    if (local && local.projectId === (await this.projectId())) {
      const { branch } = await local.checkout();
      const environmentId = branch ? (local.mapping[branch] ?? branch) : undefined;
      if (environmentId) {
        this.ctx.io.debug(1, `Environment ID from the current git branch ${branch}: ${environmentId}`);
        return environmentId;
      }
      return { notFound: 'Could not determine the current environment.\nSpecify it manually using --environment (-e).' };
    }
    return { notFound: 'No environment specified.\nSpecify one using --environment (-e), or go to a project directory.' };
  }

  private async detectProjectId(): Promise<string> {
    if (this.options.project) return projectIdFromArgument(this.options.project);
    const variable = `${this.ctx.profile.runtimeEnvPrefix}PROJECT`;
    const fromVariable = this.ctx.env[variable];
    if (fromVariable) {
      this.ctx.io.debug(1, `Project ID read from environment variable ${variable}: ${fromVariable}`);
      return fromVariable;
    }
    const local = await this.localProject();
    if (local) {
      this.ctx.io.debug(1, `Project ID read from ${local.source}: ${local.projectId}`);
      return local.projectId;
    }
    throw new CliError('generic', 'Could not determine the current project.\n\nSpecify it using --project, or go to a project directory.');
  }

  private localProject(): Promise<LocalProject | undefined> {
    return (this.local ??= findLocalProject(this.ctx.profile, this.ctx.cwd));
  }
}

export async function fetchEnvironment(ctx: Context, projectId: string, environmentId: string): Promise<Environment> {
  const result = await ctx.api().GET('/projects/{projectId}/environments/{environmentId}', { params: { path: { projectId, environmentId } } });
  if (result.response.status === 404) throw new CliError('generic', `Specified environment not found: ${environmentId}`);
  if (!result.data) throw apiFailure(result.response, result.error, ctx.loginHelp());
  return result.data;
}

/** `-p` takes an id or a URL that contains `/projects/<id>` (an API or console address). */
function projectIdFromArgument(value: string): string {
  const fromUrl = /^https?:\/\/.*\/projects\/([^/?#]+)/.exec(value);
  return fromUrl?.[1] ? decodeURIComponent(fromUrl[1]) : value;
}
