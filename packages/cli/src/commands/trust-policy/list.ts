import { expectData } from '../../lib/api-client.js';
import { defineCommand, text } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { formatConditions, formatScope } from '../../lib/trust-policies.js';

export const { definition, run } = defineCommand({
  name: 'trust-policy:list',
  aliases: ['trust-policies'],
  description: 'List the trust policies (keyless CI) of your user',
  options: {
    user: text('--user <user>', "Another user's id (instance admins)"),
    ...outputOptions,
  },
  examples: ['$ trust-policy:list', '$ trust-policy:list --format json'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const userId = options.user ?? 'me';
    const result = await ctx.api().GET('/users/{user_id}/trust-policies', { params: { path: { user_id: userId } } });
    const policies = expectData(result, ctx.loginHelp());
    if (policies.length === 0 && output.format === 'table') {
      ctx.io.message('No trust policies found.');
      return;
    }
    // JSON keeps the API's shapes; the other formats read better flattened.
    const rows = output.format === 'json' ? policies : policies.map((p) => ({ ...p, conditions: formatConditions(p.conditions), scope: formatScope(p.scope) }));
    await renderTable(ctx.io, { columns, defaultColumns, rows, dateColumns: ['created_at'] }, output);
  },
});

const columns = ['id', 'name', 'issuer', 'audience', 'conditions', 'scope', 'created_at', 'created_by'];
const defaultColumns = ['id', 'name', 'issuer', 'conditions', 'scope'];

