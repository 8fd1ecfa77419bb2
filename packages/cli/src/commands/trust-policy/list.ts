import { expectData } from '../../lib/api-client.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { formatConditions, formatScope } from '../../lib/trust-policies.js';

export const definition: CommandDefinition = {
  name: 'trust-policy:list',
  aliases: ['trust-policies'],
  description: 'List the trust policies (keyless CI) of your user',
  options: [{ flags: '--user <user>', description: "Another user's id (instance admins)" }, ...outputOptionDefinitions],
  examples: ['$ trust-policy:list', '$ trust-policy:list --format json'],
};

const columns = ['id', 'name', 'issuer', 'audience', 'conditions', 'scope', 'created_at', 'created_by'];
const defaultColumns = ['id', 'name', 'issuer', 'conditions', 'scope'];

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const output = readOutputOptions(rawOptions);
  const userId = typeof rawOptions.user === 'string' ? rawOptions.user : 'me';
  const result = await ctx.api().GET('/users/{user_id}/trust-policies', { params: { path: { user_id: userId } } });
  const policies = expectData(result, ctx.loginHelp());
  if (policies.length === 0 && output.format === 'table') {
    ctx.io.message('No trust policies found.');
    return;
  }
  // JSON keeps the API's shapes; the other formats read better flattened.
  const rows = output.format === 'json' ? policies : policies.map((p) => ({ ...p, conditions: formatConditions(p.conditions), scope: formatScope(p.scope) }));
  await renderTable(ctx.io, { columns, defaultColumns, rows, dateColumns: ['created_at'] }, output);
}
