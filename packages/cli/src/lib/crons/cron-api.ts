import { expectData } from '../api-client.js';
import type { EnvironmentCron } from '../api-types.js';
import type { Context } from '../context.js';

/** The crons of the environment's deployed code (`applications.<app>.crons`), none before a deploy. */
export async function listCrons(ctx: Context, projectId: string, environmentId: string): Promise<EnvironmentCron[]> {
  const result = await ctx.api().GET('/projects/{projectId}/environments/{environmentId}/crons', { params: { path: { projectId, environmentId } } });
  return expectData(result, ctx.loginHelp());
}
