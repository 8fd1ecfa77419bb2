import { expectData } from '../api-client.js';
import type { Context } from '../context.js';

/** A user's id from an e-mail address (`GET /users/email={email}`, instance admins) or the id itself. */
export async function findUserId(ctx: Context, wanted: string): Promise<string> {
  if (!wanted.includes('@')) return wanted;
  const user = expectData(await ctx.api().GET('/users/email={email}', { params: { path: { email: wanted } } }), ctx.loginHelp());
  return user.id;
}
