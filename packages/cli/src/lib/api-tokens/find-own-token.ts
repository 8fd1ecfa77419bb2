import { expectData } from '../api-client.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';

/** One of your API tokens, named by id or by name (ids win, as in the Platform.sh CLI). */
export async function findOwnToken(ctx: Context, wanted: string) {
  const tokens = expectData(await ctx.api().GET('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } } }), ctx.loginHelp());
  const token = tokens.find((candidate) => candidate.id === wanted) ?? tokens.find((candidate) => candidate.name === wanted);
  if (!token) throw new CliError('generic', `API token not found: ${wanted}`);
  return token;
}
