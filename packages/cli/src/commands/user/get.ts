import { requireMember } from '../../lib/access/project-members.js';
import { memberDateColumns, memberRow } from '../../lib/access/member-row.js';
import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { projectOption, Selection, type SelectionOptions } from '../../lib/selection/selection.js';

export const definition: CommandDefinition = {
  name: 'user:get',
  description: "View a project user's role(s)",
  arguments: [{ syntax: '<email>', description: "The user's email address" }],
  options: [{ flags: '-P, --property <property>', description: 'The property to view: email, name, role, id, permissions, granted_at, updated_at' }, projectOption, ...outputOptionDefinitions],
  examples: ['$ user:get bot@example.com', '$ user:get bot@example.com -P permissions'],
};

export async function run(ctx: Context, args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const output = readOutputOptions(rawOptions);
  const selection = new Selection(ctx, rawOptions as SelectionOptions);
  const projectId = await selection.projectId();
  const [project, member] = await Promise.all([selection.project(), requireMember(ctx, projectId, args[0] ?? '')]);
  const properties = memberRow(project, member);
  const property = (rawOptions as { property?: string }).property;
  if (property) printProperty(ctx.io, properties, property);
  else await renderProperties(ctx.io, properties, output, memberDateColumns);
}
