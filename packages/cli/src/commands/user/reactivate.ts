import { expectData } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { findUserId } from '../../lib/access/find-user.js';

export const { definition, run } = defineCommand({
  name: 'user:reactivate',
  description: 'Let a deactivated user in again (instance admins); credentials issued before stay dead',
  arguments: [{ syntax: '<user>', description: 'The user\'s e-mail address or id' }],
  examples: ['$ user:reactivate deploy-bot@example.com --yes'],
  async run(ctx, args) {
    const wanted = args[0] ?? '';
    const userId = await findUserId(ctx, wanted);
    const user = expectData(await ctx.api().POST('/users/{user_id}/reactivate', { params: { path: { user_id: userId } } }), ctx.loginHelp());
    ctx.io.message(`${user.email} is ${user.deactivated ? 'deactivated' : 'active'}.`);
  },
});

