import { expectData } from '../../lib/api-client.js';
import { defineCommand } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';

export const { definition, run } = defineCommand({
  name: 'api-token:list',
  aliases: ['api-tokens'],
  description: 'List your API tokens',
  options: {
    ...outputOptions,
  },
  examples: ['$ api-token:list', '$ api-token:list --columns +last_used_ip --format csv'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const result = await ctx.api().GET('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } } });
    const tokens = expectData(result, ctx.loginHelp());
    if (tokens.length === 0 && output.format === 'table') {
      ctx.io.message('No API tokens found.');
      return;
    }
    // Expired tokens stay listed, `expired` in the status column, until they are deleted.
    await renderTable(ctx.io, { columns, defaultColumns, rows: tokens, dateColumns: ['created_at', 'updated_at', 'expires_at', 'last_used_at'] }, output);
  },
});

const columns = ['id', 'name', 'created_at', 'updated_at', 'expires_at', 'status', 'last_used_at', 'last_used_ip', 'mfa_on_creation'];
const defaultColumns = ['id', 'name', 'created_at', 'expires_at', 'status', 'last_used_at'];

