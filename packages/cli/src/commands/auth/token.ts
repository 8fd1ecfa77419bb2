import { defineCommand, flag, negatedFlag } from '../../lib/command.js';

export const { definition, run } = defineCommand({
  name: 'auth:token',
  description: 'Obtain an OAuth 2 access token for requests to the API',
  help: 'The token is printed without a trailing newline. It is cached and reused until shortly before it expires.',
  options: {
    header: flag('-H, --header', 'Prefix the token with "Authorization: Bearer " to make an HTTP header'),
    warn: negatedFlag('-W, --no-warn', 'Suppress the warning that the token is secret'),
  },
  examples: ['$ auth:token -W', 'curl -H "$(pier auth:token -HW)" "$PIER_CLI_API_URL/users/me"'],
  async run(ctx, _args, options) {
    const token = await ctx.authSession().accessToken();
    if (options.warn !== false) ctx.io.warning('Warning: keep access tokens secret.');
    ctx.io.data(options.header ? `Authorization: Bearer ${token}` : token);
  },
});

