import { expectData } from '../../lib/api-client.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { parseDuration } from '../../lib/duration.js';

export const definition: CommandDefinition = {
  name: 'api-token:create',
  description: 'Create an API token',
  help: 'The token is printed once, alone on standard output, so that scripts can capture it; everything else goes to standard error.',
  options: [
    { flags: '--name <name>', description: 'A name for the token (unique among your tokens)', required: true },
    { flags: '--expires-in <duration>', description: 'Expire the token after this long: 30d, 12h, 2w, 1y...' },
  ],
  examples: ['$ api-token:create --name ci --expires-in 90d', 'TOKEN=$(pier api-token:create --name deploy)'],
};

interface CreateOptions {
  name: string;
  expiresIn?: string;
}

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as unknown as CreateOptions;
  const expiresAt = options.expiresIn ? new Date(Date.now() + parseDuration(options.expiresIn) * 1000).toISOString() : undefined;
  const result = await ctx.api().POST('/users/{user_id}/api-tokens', {
    params: { path: { user_id: 'me' } },
    body: { name: options.name, ...(expiresAt ? { expires_at: expiresAt } : {}) },
  });
  const created = expectData(result, ctx.loginHelp());
  ctx.io.message(`Created the API token "${created.name}" (${created.id}), ${created.expires_at ? `expiring ${created.expires_at}` : 'with no expiry'}.`);
  ctx.io.message('Store it safely now: it will not be shown again.');
  ctx.io.data(`${created.token ?? ''}\n`);
}
