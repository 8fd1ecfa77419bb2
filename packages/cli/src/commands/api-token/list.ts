import { expectData } from '../../lib/api-client.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';

export const definition: CommandDefinition = {
  name: 'api-token:list',
  aliases: ['api-tokens'],
  description: 'List your API tokens',
  options: [...outputOptionDefinitions],
  examples: ['$ api-token:list', '$ api-token:list --columns +last_used_ip --format csv'],
};

const columns = ['id', 'name', 'created_at', 'updated_at', 'expires_at', 'status', 'last_used_at', 'last_used_ip', 'mfa_on_creation'];
const defaultColumns = ['id', 'name', 'created_at', 'expires_at', 'status', 'last_used_at'];

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const output = readOutputOptions(rawOptions);
  const result = await ctx.api().GET('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } } });
  const tokens = expectData(result, ctx.loginHelp());
  if (tokens.length === 0 && output.format === 'table') {
    ctx.io.message('No API tokens found.');
    return;
  }
  // Expired tokens stay listed, `expired` in the status column, until they are deleted.
  await renderTable(ctx.io, { columns, defaultColumns, rows: tokens, dateColumns: ['created_at', 'updated_at', 'expires_at', 'last_used_at'] }, output);
}
