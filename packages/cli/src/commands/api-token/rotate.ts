import { expectData } from '../../lib/api-client.js';
import { defineCommand, text } from '../../lib/command.js';
import { parseDuration } from '../../lib/duration.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { findOwnToken } from '../../lib/api-tokens/find-own-token.js';

export const { definition, run } = defineCommand({
  name: 'api-token:rotate',
  description: 'Give an API token a new secret, keeping the old one working for an overlap window',
  help:
    'The new secret is printed once, alone on standard output. The token keeps its id, name, scope and expiry; ' +
    'the old secret (and access tokens made from it) keeps working for --overlap (default 0: it stops now), ' +
    'so running pipelines finish while the new secret is rolled out.',
  arguments: [{ syntax: '<token>', description: 'The token ID or name' }],
  options: {
    overlap: text('--overlap <duration>', 'How long the old secret keeps working: 0, 10m, 1h, 1d (at most 30d)', { defaultValue: '0' }),
  },
  examples: ['$ api-token:rotate ci --overlap 1h', 'NEW=$(pier api-token:rotate deploy-bot --overlap 1d --yes)'],
  async run(ctx, args, options) {
    const overlapSeconds = options.overlap.trim() === '0' ? 0 : parseDuration(options.overlap);
    const wanted = args[0] ?? '';
    const api = ctx.api();
    const help = ctx.loginHelp();
    const token = await findOwnToken(ctx, wanted);

    const when = overlapSeconds === 0 ? 'stops working now' : `keeps working for ${options.overlap.trim()}`;
    if (!(await confirm(ctx.io, `Rotate the API token "${token.name}" (${token.id})? The old secret ${when}.`, true, ctx.globals.yes))) {
      throw new CliError('generic', 'Cancelled.');
    }
    const rotated = expectData(
      await api.POST('/users/{user_id}/api-tokens/{token_id}/rotate', {
        params: { path: { user_id: 'me', token_id: token.id } },
        body: { overlap_seconds: overlapSeconds },
      }),
      help,
    );
    ctx.io.message(`Rotated the API token "${rotated.name}" (${rotated.id}).`);
    ctx.io.message(rotated.previous_secret_expires_at ? `The old secret works until ${rotated.previous_secret_expires_at}.` : 'The old secret no longer works.');
    ctx.io.message('Store the new secret safely now: it will not be shown again.');
    ctx.io.data(`${rotated.token ?? ''}\n`);
    if (ctx.authSession().entry?.api_token_id === token.id && overlapSeconds === 0) {
      ctx.io.warning('This is the token the CLI is using: log in again with the new secret.');
    }
  },
});

