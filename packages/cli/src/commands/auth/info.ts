import { expectData } from '../../lib/api-client.js';
import { defineCommand, flag, negatedFlag, text } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { decodeJwtClaims } from '../../lib/token-exchange.js';
import { describeScope, type TokenScopeEntry } from '../../lib/access/token-scope.js';

export const { definition, run } = defineCommand({
  name: 'auth:info',
  description: 'Display your account information',
  arguments: [{ syntax: '[property]', description: 'The account property to view' }],
  options: {
    property: text('-P, --property <property>', 'The account property to view'),
    refresh: flag('--refresh', 'Exchange the API token again instead of using the cached access token'),
    autoLogin: negatedFlag('--no-auto-login', 'Output nothing and exit 0 when not logged in'),
    ...outputOptions,
  },
  examples: ['$ auth:info', '$ auth:info email', '$ auth:info --format json'],
  async run(ctx, args, options) {
    const output = readOutputOptions(options);
    const property = args[0] ?? options.property;
    if (args[0] && options.property) throw new CliError('usage', 'You cannot use both the <property> argument and the --property option');
    if (options.autoLogin === false && !ctx.credential()) return;

    const session = ctx.authSession();
    await session.accessToken({ forceRefresh: options.refresh === true });
    const api = ctx.api();
    const help = ctx.loginHelp();
    const [user, tokenName] = await Promise.all([
      api.GET('/users/me').then((result) => expectData(result, help)),
      lookUpTokenName(ctx),
    ]);
    const entry = session.entry;
    const entryClaims = entry ? decodeJwtClaims(entry.access_token) : {};
    const properties: Record<string, unknown> = {
      id: user.id,
      username: user.username,
      email: user.email,
      first_name: user.first_name,
      last_name: user.last_name,
      auth_method: session.source,
      api_token_name: tokenName ?? null,
      access_token_expires_at: entry ? new Date(entry.expires_at * 1000).toISOString() : null,
      // The limits travel in the access token's claims: shown without another request.
      api_token_scope: describeScope(entryClaims.pier_scope as TokenScopeEntry[] | undefined),
      api_token_allowed_ips: Array.isArray(entryClaims.allowed_ips) ? entryClaims.allowed_ips.join(', ') : 'anywhere',
    };
    if (property) {
      printProperty(ctx.io, properties, property);
      return;
    }
    await renderProperties(ctx.io, properties, output, ['access_token_expires_at']);
  },
});

/** Who you are and how you are authenticated: the first thing to check in a failing CI job. */

/** The token's name is fetched once per access token and kept in the cache entry. */
async function lookUpTokenName(ctx: Context): Promise<string | undefined> {
  const session = ctx.authSession();
  const entry = session.entry;
  if (entry?.api_token_name || !entry?.api_token_id) return entry?.api_token_name;
  const { data } = await ctx.api().GET('/users/{user_id}/api-tokens/{token_id}', {
    params: { path: { user_id: 'me', token_id: entry.api_token_id } },
  });
  if (data) session.remember({ api_token_name: data.name });
  return data?.name;
}
