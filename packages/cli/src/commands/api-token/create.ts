import { expectData } from '../../lib/api-client.js';
import { defineCommand, list, text } from '../../lib/command.js';
import { parseDuration } from '../../lib/duration.js';
import { parseScopeArguments } from '../../lib/access/token-scope.js';
import { CliError } from '../../lib/errors.js';

export const { definition, run } = defineCommand({
  name: 'api-token:create',
  description: 'Create an API token',
  help:
    'The token is printed once, alone on standard output, so that scripts can capture it; everything else goes to standard error.\n' +
    'Without --expires the server decides: no expiry, or its maximum lifetime (PIER_API_TOKEN_MAX_LIFETIME) when it has one.',
  options: {
    name: text('--name <name>', 'A name for the token (unique among your tokens)', { required: true }),
    expires: text('--expires <when>', 'When the token expires: a duration (30d, 12h, 2w, 1y) or a date (2026-12-31, 2026-12-31T18:00:00Z)'),
    expiresIn: text('--expires-in <duration>', 'Expire the token after this long: 30d, 12h, 2w, 1y...'),
    scope: list('--scope <project:permissions>', 'Limit the token to a project and at most these permissions (PROJECT:viewer,development:contributor); repeat for more projects'),
    allowedIp: list('--allowed-ip <cidr>', 'Accept the token only from these addresses (10.0.0.0/8, 2001:db8::/32); repeat or separate with commas'),
  },
  examples: [
    '$ api-token:create --name ci --expires 90d',
    '$ api-token:create --name release --expires 2026-12-31',
    'TOKEN=$(pier api-token:create --name deploy)',
    '$ api-token:create --name deploy-bot --scope abc123:viewer,development:contributor --allowed-ip 10.0.0.0/8',
  ],
  async run(ctx, _args, options) {
    if (options.expires !== undefined && options.expiresIn !== undefined) throw new CliError('usage', 'Use --expires or --expires-in, not both.');
    const expiresAt = expiryOf(options.expires ?? options.expiresIn, options.expiresIn !== undefined);
    const result = await ctx.api().POST('/users/{user_id}/api-tokens', {
      params: { path: { user_id: 'me' } },
      body: {
        name: options.name,
        ...(expiresAt ? { expires_at: expiresAt } : {}),
        ...(options.scope?.length ? { scope: parseScopeArguments(options.scope) } : {}),
        ...(options.allowedIp?.length ? { allowed_ips: options.allowedIp.flatMap((value) => value.split(',')).map((v) => v.trim()).filter(Boolean) } : {}),
      },
    });
    const created = expectData(result, ctx.loginHelp());
    ctx.io.message(`Created the API token "${created.name}" (${created.id}), ${created.expires_at ? `expiring ${created.expires_at}` : 'with no expiry'}.`);
    for (const entry of created.scope ?? []) ctx.io.message(`  Limited to project ${entry.project_id}: ${entry.permissions.join(', ')}`);
    if (created.allowed_ips) ctx.io.message(`  Accepted only from: ${created.allowed_ips.join(', ')}`);
    ctx.io.message('Store it safely now: it will not be shown again.');
    ctx.io.data(`${created.token ?? ''}\n`);
  },
});

/** A duration from now, or (for --expires) a date: `2026-12-31` is midnight UTC. */
function expiryOf(when: string | undefined, durationOnly: boolean): string | undefined {
  if (when === undefined) return undefined;
  if (durationOnly || /^\s*\d+\s*[a-z]\s*$/i.test(when)) return new Date(Date.now() + parseDuration(when) * 1000).toISOString();
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(when.trim()) ? new Date(when.trim()) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new CliError('usage', `Invalid value for '--expires': ${when}. Use a duration (30d, 12h, 2w, 1y) or a date (2026-12-31 or 2026-12-31T18:00:00Z).`);
  }
  if (date.getTime() <= Date.now()) throw new CliError('usage', `Invalid value for '--expires': ${when} is in the past.`);
  return date.toISOString();
}
