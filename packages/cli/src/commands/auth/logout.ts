import { defineCommand, flag } from '../../lib/command.js';
import { revokeAccessToken } from '../../lib/token-revocation.js';
import { tokenVariable } from '../../lib/vendor-profile.js';

export const { definition, run } = defineCommand({
  name: 'auth:logout',
  aliases: ['logout'],
  description: 'Log out: remove the stored API token and cached access tokens, and revoke them',
  options: { all: flag('-a, --all', 'Remove every cached access token, including those of other API tokens') },
  async run(ctx, _args, options) {
    const { tokenCache, stored, env, config } = ctx;
    const variable = tokenVariable(ctx.profile);
    const current = ctx.credential();
    // Cache keys: API tokens themselves, or an OIDC credential's key (keyless CI).
    const currentTokens = [stored.read(), env[variable]?.trim(), current?.kind === 'oidc' ? current.cacheKey : undefined].filter((token): token is string => Boolean(token));

    const doomed = options.all
      ? tokenCache.all().map(({ entry }) => entry)
      : currentTokens.flatMap((apiToken) => tokenCache.read(apiToken) ?? []);
    for (const entry of doomed) {
      if (entry.expires_at <= Date.now() / 1000) continue;
      const revoked = await revokeAccessToken(entry.access_token, config.authUrl, config.oauth2ClientId, ctx.transport);
      if (!revoked) ctx.io.debug(1, 'Could not revoke a cached access token; it expires on its own within minutes.');
    }

    stored.remove();
    if (options.all) tokenCache.removeAll();
    else currentTokens.forEach((apiToken) => tokenCache.remove(apiToken));

    ctx.io.message('You are now logged out.');
    if (options.all) ctx.io.message('All sessions have been deleted.');
    if (env[variable]) {
      ctx.io.warning(`Warning: an API token is set via the ${variable} environment variable; it will still be used.`);
    }
  },
});

