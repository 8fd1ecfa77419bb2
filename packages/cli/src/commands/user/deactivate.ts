import { expectData } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { findUserId } from '../../lib/access/find-user.js';

export const { definition, run } = defineCommand({
  name: 'user:deactivate',
  description: 'Deactivate a user (instance admins): every credential they hold stops working at once',
  arguments: [{ syntax: '<user>', description: 'The user\'s e-mail address or id' }],
  examples: ['$ user:deactivate deploy-bot@example.com --yes'],
  async run(ctx, args) {
    const wanted = args[0] ?? '';
    const userId = await findUserId(ctx, wanted);
    const question = `Deactivate ${wanted}? Their API tokens, access tokens, console sessions, SSH certificates and running SSH sessions stop at once.`;
    if (!(await confirm(ctx.io, question, true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    const user = expectData(await ctx.api().POST('/users/{user_id}/deactivate', { params: { path: { user_id: userId } } }), ctx.loginHelp());
    ctx.io.message(`${user.email} is ${user.deactivated ? 'deactivated' : 'active'}.`);
  },
});

