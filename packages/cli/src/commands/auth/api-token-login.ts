import type { User } from '@pier/api';
import { expectData, typedClient } from '../../lib/api-client.js';
import type { CachedAccessToken } from '../../lib/access-token-cache.js';
import { defineCommand } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { askSecret, readStdin } from '../../lib/prompt.js';
import { exchangeApiToken } from '../../lib/token-exchange.js';
import { nonInteractiveAuthHelp, tokenVariable } from '../../lib/vendor-profile.js';

export const { definition, run } = defineCommand({
  name: 'auth:api-token-login',
  description: 'Log in using an API token',
  help:
    'On a terminal the token is asked for with a hidden prompt. Otherwise it is read from standard input, ' +
    'so scripts can pipe it in (the Platform.sh CLI refuses; its users asked for this).',
  examples: ['$ auth:api-token-login', '$ auth:api-token-login < token.txt'],
  async run(ctx) {
    const variable = tokenVariable(ctx.profile);
    if (ctx.env[variable]) {
      throw new CliError(
        'generic',
        `An API token is already set via the ${variable} environment variable.\nIt takes precedence over a stored token: unset it first to log in.`,
      );
    }
    const { apiToken, entry, user } = ctx.io.interactive ? await promptUntilValid(ctx) : await readFromStdin(ctx);

    const previous = ctx.stored.read();
    if (previous && previous !== apiToken) ctx.tokenCache.remove(previous);
    ctx.stored.save(apiToken);
    ctx.tokenCache.write(apiToken, entry);

    ctx.io.message('\nThe API token is valid.');
    ctx.io.message('You are logged in.');
    ctx.io.message(`\nUsername: ${user.username}\nEmail address: ${user.email}`);
  },
});

const MAX_ATTEMPTS = 5;

interface ValidToken {
  apiToken: string;
  entry: CachedAccessToken;
  user: User;
}

async function promptUntilValid(ctx: Context): Promise<ValidToken> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const apiToken = (await askSecret(ctx.io, 'Please enter an API token:')).trim();
    if (!apiToken) {
      ctx.io.error('The token cannot be empty');
      continue;
    }
    try {
      return await validate(ctx, apiToken);
    } catch (error) {
      if (!(error instanceof CliError) || error.code !== 'invalid_api_token') throw error;
      ctx.io.error('Invalid API token');
    }
  }
  throw new CliError('invalid_api_token', 'The API token is invalid.');
}

async function readFromStdin(ctx: Context): Promise<ValidToken> {
  if (ctx.io.terminal.stdin.isTTY) {
    throw new CliError(
      'generic',
      `Non-interactive use of this command needs the token on standard input:\n    ${ctx.profile.command} auth:api-token-login < token.txt\n\n${nonInteractiveAuthHelp(ctx.profile)}`,
    );
  }
  const apiToken = (await readStdin(ctx.io.terminal.stdin)).split(/\r?\n/).map((line) => line.trim()).find(Boolean);
  if (!apiToken) {
    throw new CliError('generic', `No API token was given on standard input.\n\n${nonInteractiveAuthHelp(ctx.profile)}`);
  }
  return validate(ctx, apiToken);
}

/** A token is valid when it exchanges and the access token reads `/users/me`. */
async function validate(ctx: Context, apiToken: string): Promise<ValidToken> {
  const entry = await exchangeApiToken(apiToken, {
    ...ctx.exchangeSettings(undefined),
    invalidTokenHelp: 'Check the token, or create a new one in the console.',
  });
  const client = typedClient(ctx.config.apiUrl, ctx.transport, { authorization: `Bearer ${entry.access_token}` });
  const user = expectData(await client.GET('/users/me'), ctx.loginHelp());
  return { apiToken, entry, user };
}
