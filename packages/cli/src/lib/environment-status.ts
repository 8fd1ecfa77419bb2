import { expectData } from './api-client.js';
import type { Context } from './context.js';
import { CliError } from './errors.js';
import { confirm } from './prompt.js';
import { Selection, type SelectionOptions } from './selection/selection.js';

interface StatusChange {
  /** The verb in messages: activate / deactivate. */
  verb: 'activate' | 'deactivate';
  /** The status the environment ends up in. */
  target: 'active' | 'inactive';
}

/**
 * environment:activate and environment:deactivate: each named environment (or the selected
 * one) is confirmed (default yes, as in the Platform.sh CLI) and changed; one already in the
 * target status is reported and skipped.
 */
export async function changeEnvironmentStatus(ctx: Context, ids: string[], options: SelectionOptions, change: StatusChange): Promise<void> {
  const selection = new Selection(ctx, options);
  const projectId = await selection.projectId();
  const environments = ids.length ? await Promise.all(ids.map((id) => selection.environment(id))) : [await selection.environment()];
  const present = change.verb === 'activate' ? 'Activating' : 'Deactivating';
  let changed = 0;
  for (const environment of environments) {
    if (environment.status === change.target) {
      ctx.io.message(`The environment ${environment.id} is already ${change.target}.`);
      continue;
    }
    if (!(await confirm(ctx.io, `Are you sure you want to ${change.verb} the environment ${environment.id}?`, true, ctx.globals.yes))) continue;
    ctx.io.message(`${present} environment ${environment.id}`);
    const path = { projectId, environmentId: environment.id };
    const result = change.verb === 'activate'
      ? await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/activate', { params: { path } })
      : await ctx.api().POST('/projects/{projectId}/environments/{environmentId}/deactivate', { params: { path } });
    const updated = expectData(result, ctx.loginHelp())._embedded.entity;
    ctx.io.message(`The environment ${environment.id} is now ${updated?.status ?? change.target}.`);
    changed++;
  }
  if (changed === 0 && environments.some((environment) => environment.status !== change.target)) throw new CliError('generic', 'Cancelled.');
}
