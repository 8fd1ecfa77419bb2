import { expectData } from '../../lib/api-client.js';
import type { AuditEntry } from '../../lib/api-types.js';
import { defineCommand, flag, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { renderTable } from '../../lib/output/render.js';
import { projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'audit:list',
  aliases: ['audit'],
  description: "List the project's audit trail (project admins), or your own with --mine",
  help: 'Newest first. Every change records who made it and how they authenticated: a machine user appears as itself, with the name of the API token it used.',
  options: {
    mine: flag('--mine', 'Your own actions on every project (/users/me/audit) instead of one project\'s trail'),
    limit: text('--limit <count>', 'The maximum number of entries to list'),
    before: text('--before <id>', 'Only entries older than the entry with this ID (for paging)'),
    project: projectOption,
    ...outputOptions,
  },
  examples: ['$ audit:list', '$ audit:list --mine --limit 20', '$ audit:list --format csv -c time,actor,auth,action'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const query = { ...pageQuery(options) };
    const help = ctx.loginHelp();
    const entries = options.mine
      ? expectData(await ctx.api().GET('/users/me/audit', { params: { query } }), help)
      : expectData(
          await ctx.api().GET('/projects/{project_id}/audit', { params: { path: { project_id: await new Selection(ctx, options).projectId() }, query } }),
          help,
        );
    await renderTable(ctx.io, { columns, defaultColumns: ['time', 'actor', 'auth', 'action', 'target'], rows: entries.map(auditRow), dateColumns: ['time'] }, output);
  },
});

const columns = ['id', 'time', 'actor', 'auth', 'action', 'target', 'project', 'actor_id', 'api_token_id', 'client_ip', 'details'];

interface AuditOptions extends SelectionOptions {
  mine?: boolean;
  limit?: string;
  before?: string;
}

function pageQuery(options: AuditOptions): { count?: number; before?: string } {
  const count = options.limit === undefined ? undefined : Number(options.limit);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new CliError('usage', `Invalid --limit: ${options.limit ?? ''}`);
  return { ...(count ? { count } : {}), ...(options.before ? { before: options.before } : {}) };
}

/** `api_token (ci)`: how the actor authenticated, with the token's name when it was one. */
function auditRow(entry: AuditEntry): Record<string, unknown> {
  const { actor } = entry;
  return {
    id: entry.id,
    time: entry.created_at,
    actor: actor.email ?? actor.user_id ?? actor.auth_method,
    auth: actor.api_token_name ? `${actor.auth_method} (${actor.api_token_name})` : actor.auth_method,
    action: entry.action,
    target: `${entry.target.type}:${entry.target.id}`,
    project: entry.project_id,
    actor_id: actor.user_id,
    api_token_id: actor.api_token_id,
    client_ip: actor.client_ip,
    details: entry.details,
  };
}
