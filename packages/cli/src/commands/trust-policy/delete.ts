import { expectData, expectSuccess } from '../../lib/api-client.js';
import { defineCommand, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';

export const { definition, run } = defineCommand({
  name: 'trust-policy:delete',
  description: 'Delete a trust policy: CI jobs it matched can no longer exchange id-tokens',
  arguments: [{ syntax: '<policy>', description: 'The policy ID or name' }],
  options: {
    user: text('--user <user>', "Another user's id (instance admins)"),
  },
  examples: ['$ trust-policy:delete gha-deploy --yes'],
  async run(ctx, args, options) {
    const wanted = args[0] ?? '';
    const userId = options.user ?? 'me';
    const api = ctx.api();
    const help = ctx.loginHelp();
    const policies = expectData(await api.GET('/users/{user_id}/trust-policies', { params: { path: { user_id: userId } } }), help);
    const policy = policies.find((candidate) => candidate.id === wanted) ?? policies.find((candidate) => candidate.name === wanted);
    if (!policy) throw new CliError('generic', `Trust policy not found: ${wanted}`);

    const question = `Are you sure you want to delete the trust policy "${policy.name}" (${policy.id})?`;
    if (!(await confirm(ctx.io, question, true, ctx.globals.yes))) throw new CliError('generic', 'Cancelled.');
    const result = await api.DELETE('/users/{user_id}/trust-policies/{policy_id}', { params: { path: { user_id: userId, policy_id: policy.id } } });
    expectSuccess(result, help);
    ctx.io.message(`The trust policy "${policy.name}" was deleted.`);
  },
});

