import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';

export const definition: CommandDefinition = {
  name: 'auth:token',
  description: 'Obtain an OAuth 2 access token for requests to the API',
  help: 'The token is printed without a trailing newline. It is cached and reused until shortly before it expires.',
  options: [
    { flags: '-H, --header', description: 'Prefix the token with "Authorization: Bearer " to make an HTTP header' },
    { flags: '-W, --no-warn', description: 'Suppress the warning that the token is secret' },
  ],
  examples: ['$ auth:token -W', 'curl -H "$(pier auth:token -HW)" "$PIER_CLI_API_URL/users/me"'],
};

interface TokenOptions {
  header?: boolean;
  warn?: boolean;
}

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as TokenOptions;
  const token = await ctx.authSession().accessToken();
  if (options.warn !== false) ctx.io.warning('Warning: keep access tokens secret.');
  ctx.io.data(options.header ? `Authorization: Bearer ${token}` : token);
}
