import { requireMember } from '../../lib/access/project-members.js';
import { memberDateColumns, memberRow } from '../../lib/access/member-row.js';
import { defineCommand, text } from '../../lib/command.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'user:get',
  description: "View a project user's role(s)",
  arguments: [{ syntax: '<email>', description: "The user's email address" }],
  options: {
    property: text('-P, --property <property>', 'The property to view: email, name, role, id, permissions, granted_at, updated_at'),
    project: projectOption,
    ...outputOptions,
  },
  examples: ['$ user:get bot@example.com', '$ user:get bot@example.com -P permissions'],
  async run(ctx, args, options) {
    const output = readOutputOptions(options);
    const selection = new Selection(ctx, options);
    const projectId = await selection.projectId();
    const [project, member] = await Promise.all([selection.project(), requireMember(ctx, projectId, args[0] ?? '')]);
    const properties = memberRow(project, member);
    const property = options.property;
    if (property) printProperty(ctx.io, properties, property);
    else await renderProperties(ctx.io, properties, output, memberDateColumns);
  },
});

