import { defineCommand, flag } from '../../lib/command.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { applyChanges } from '../../lib/variables/changes.js';
import { defaultOutput, redeployNotice, renderVariable } from '../../lib/variables/display.js';
import { fieldOptions, levelOption, parseLevel, readFields, acceptedWaitOptions } from '../../lib/variables/fields.js';
import { requireVariable, resolveScope, targetOf } from '../../lib/variables/lookup.js';

export const { definition, run } = defineCommand({
  name: 'variable:update',
  description: 'Update a variable',
  help: [
    'Only the options given are changed, and only when they differ. An inherited variable gets its own copy on this',
    'environment (e.g. --enabled false switches it off here). A sensitive variable cannot be made non-sensitive.',
  ].join('\n'),
  arguments: [{ syntax: '<name>', description: 'The variable name' }],
  options: {
    level: levelOption,
    ...fieldOptions,
    allowNoChange: flag('--allow-no-change', 'Return success (zero exit code) if no changes were provided'),
    project: projectOption,
    environment: environmentOption,
    ...acceptedWaitOptions,
  },
  examples: ['$ variable:update env:PIER_CLI_TOKEN -e main --value "$NEW_TOKEN"', '$ variable:update api_url -l project --visible-build false'],
  async run(ctx, args, options) {
    const name = args[0] ?? '';
    const fields = readFields(options);
    if (fields.value !== undefined && fields.is_sensitive) ctx.io.secrets.add(fields.value);
    const level = parseLevel(options.level);
    const scope = await resolveScope(new Selection(ctx, options), level);
    const variable = await requireVariable(ctx, scope, name, level);
    // Known sensitive now: keep the new value out of every trace.
    if (fields.value !== undefined && variable.is_sensitive) ctx.io.secrets.add(fields.value);
    const updated = await applyChanges(ctx, targetOf(scope, variable), variable, fields, options.allowNoChange === true);
    if (!updated) return;
    await renderVariable(ctx, updated, defaultOutput);
    redeployNotice(ctx);
  },
});

