import { expectSuccess } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { findOwnToken } from '../../lib/api-tokens/find-own-token.js';

export const { definition, run } = defineCommand({
  name: 'api-token:delete',
  aliases: ['api-token:revoke'],
  description: 'Delete (revoke) an API token',
  arguments: [{ syntax: '<token>', description: 'The token ID or name' }],
  examples: ['$ api-token:delete ci --yes'],
  async run(ctx, args) {
    const wanted = args[0] ?? '';
    const api = ctx.api();
    const help = ctx.loginHelp();
    const token = await findOwnToken(ctx, wanted);

    const question = `Are you sure you want to delete the API token "${token.name}" (${token.id})?`;
    if (!(await confirm(ctx.io, question, true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    const result = await api.DELETE('/users/{user_id}/api-tokens/{token_id}', { params: { path: { user_id: 'me', token_id: token.id } } });
    expectSuccess(result, help);
    ctx.io.message(`The API token "${token.name}" was deleted.`);
    if (ctx.authSession().entry?.api_token_id === token.id) {
      ctx.io.warning('This was the token the CLI is using: it no longer works.');
    }
  },
});

