import { shellWord as shellQuote } from '@pier/wire';
import { defineCommand, flag, text } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { ask, askSecret } from '../../lib/prompt.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';
import { applyChanges } from '../../lib/variables/changes.js';
import { defaultOutput, redeployNotice, renderVariable } from '../../lib/variables/display.js';
import {
  checkJsonValue,
  checkLevelFields,
  checkName,
  fieldOptions,
  levelOption,
  parseLevel,
  prefixedName,
  readFields,
  acceptedWaitOptions,
  type VariableFields,
} from '../../lib/variables/fields.js';
import { environmentTarget, projectTarget, resolveScope } from '../../lib/variables/lookup.js';
import { createVariable, getVariable, isEnvironmentVariable, type VariableCreateInput, type VariableLevel } from '../../lib/variables/variable-api.js';

export const { definition, run } = defineCommand({
  name: 'variable:create',
  description: 'Create a variable',
  help: [
    'Boolean options take a value: 1, 0, true, false, yes or no. --level is required when not interactive.',
    'At environment level --visible-build defaults to false, as in the Platform.sh CLI; everything else',
    'defaults as in the API (not JSON, not sensitive, visible at runtime, enabled, inheritable).',
    'A sensitive value is write-only: it is never shown again, by the API or by this CLI.',
  ].join('\n'),
  arguments: [{ syntax: '[name]', description: 'The variable name' }],
  options: {
    update: flag('-u, --update', 'Update the variable if it already exists'),
    level: levelOption,
    name: text('--name <name>', 'The variable name'),
    prefix: text('--prefix <prefix>', "The variable name's prefix: 'env' (exposed as an environment variable) or 'none' (default)"),
    ...fieldOptions,
    project: projectOption,
    environment: environmentOption,
    ...acceptedWaitOptions,
  },
  examples: [
    '$ variable:create -e main --level environment --prefix env --name PIER_CLI_TOKEN --sensitive true --value "$TOKEN" --inheritable false --visible-build true --no-interaction',
    '$ variable:create --level project --name api_url --value https://api.example.com',
    '$ variable:create -l e -e staging --name config --json true --value \'{"debug": true}\'',
  ],
  async run(ctx, args, options) {
    if (args[0] !== undefined && options.name !== undefined) throw new CliError('usage', 'You cannot use both the <name> argument and the --name option.');
    const fields = readFields(options);
    if (fields.value !== undefined && fields.is_sensitive) ctx.io.secrets.add(fields.value);
    const level = parseLevel(options.level) ?? (await askLevel(ctx));
    checkLevelFields(level, fields);
    const name = prefixedName(args[0] ?? options.name ?? (await askText(ctx, 'Name (--name):', '--name is required')), options.prefix);
    checkName(name);
    // Fail before any request when the answer cannot be asked for (with -u a value is optional).
    if (fields.value === undefined && !options.update && !ctx.io.interactive) throw new CliError('usage', '--value is required');
    if (fields.is_json && fields.value !== undefined) checkJsonValue(fields.value);

    const selection = new Selection(ctx, options);
    const scope = await resolveScope(selection, level);
    const target = level === 'project' ? projectTarget(scope) : environmentTarget(scope);
    if (!target) throw new Error('resolveScope returns an environment at environment level');

    // An inherited variable may be overridden here by creating it; an own one is reported.
    const existing = await getVariable(ctx, target, name);
    if (existing && !(isEnvironmentVariable(existing) && existing.inherited)) {
      if (options.update) {
        const updated = await applyChanges(ctx, target, existing, fields, true);
        if (updated) {
          await renderVariable(ctx, updated, defaultOutput);
          redeployNotice(ctx);
        }
        return;
      }
      throw new CliError('generic', `The variable already exists: ${name}\n\nTo update the variable, use: ${ctx.profile.command} variable:update ${shellQuote(name)}`);
    }

    const value = fields.value ?? (await askValue(ctx, fields));
    if (fields.is_json) checkJsonValue(value);
    const input = createInput(name, value, level, fields);

    const where = scope.environment ? `the environment ${scope.environment.id}` : `the project ${await projectLabel(selection)}`;
    ctx.io.message(`Creating variable ${name} on ${where}`);
    const created = await createVariable(ctx, target, input);
    await renderVariable(ctx, created, defaultOutput);
    redeployNotice(ctx);
  },
});

/**
 * Every field is sent, defaults included, so the result does not depend on the server's defaults.
 * The CLI's own default differs from the API's in one place: build visibility at environment level.
 */
function createInput(name: string, value: string, level: VariableLevel, fields: VariableFields): VariableCreateInput {
  return {
    name,
    value,
    is_json: fields.is_json ?? false,
    is_sensitive: fields.is_sensitive ?? false,
    visible_build: fields.visible_build ?? level === 'project',
    visible_runtime: fields.visible_runtime ?? true,
    ...(level === 'environment' ? { is_enabled: fields.is_enabled ?? true, is_inheritable: fields.is_inheritable ?? true } : {}),
    ...(fields.application_scope ? { application_scope: fields.application_scope } : {}),
  };
}

async function askLevel(ctx: Context): Promise<VariableLevel> {
  if (!ctx.io.interactive) throw new CliError('usage', '--level is required');
  ctx.io.message('Level (--level):\n  [project]     Project-wide\n  [environment] Environment-specific');
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await ask(ctx.io, 'Enter a level:');
    try {
      const level = parseLevel(answer);
      if (level) return level;
    } catch (error) {
      ctx.io.error((error as Error).message);
    }
  }
  throw new CliError('usage', '--level is required');
}

async function askText(ctx: Context, question: string, requiredMessage: string): Promise<string> {
  if (!ctx.io.interactive) throw new CliError('usage', requiredMessage);
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await ask(ctx.io, question);
    if (answer !== '') return answer;
  }
  throw new CliError('usage', requiredMessage);
}

/** A sensitive value is typed into a hidden prompt, so it never appears on the screen. */
async function askValue(ctx: Context, fields: VariableFields): Promise<string> {
  if (!ctx.io.interactive) throw new CliError('usage', '--value is required');
  const value = fields.is_sensitive ? await askSecret(ctx.io, 'Value (--value):') : await askText(ctx, 'Value (--value):', '--value is required');
  if (fields.is_sensitive) ctx.io.secrets.add(value);
  return value;
}

async function projectLabel(selection: Selection): Promise<string> {
  const project = await selection.project();
  return `${project.title} (${project.id})`;
}
