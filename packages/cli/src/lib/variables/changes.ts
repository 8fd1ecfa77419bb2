import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { checkJsonValue, checkLevelFields, type VariableFields } from './fields.js';
import { updateVariable, isHidden, levelOf, type Variable, type VariablePatch, type VariableTarget } from './variable-api.js';

/**
 * Only what differs from the variable as it is: a sensitive value cannot be compared, so a given
 * value is always sent for one.
 */
export function changedFields(variable: Variable, fields: VariableFields): VariablePatch {
  const patch: VariablePatch = {};
  if (fields.value !== undefined && (isHidden(variable) || fields.value !== variable.value)) patch.value = fields.value;
  for (const key of ['is_json', 'is_sensitive', 'visible_build', 'visible_runtime'] as const) {
    const wanted = fields[key];
    if (wanted !== undefined && wanted !== variable[key]) patch[key] = wanted;
  }
  if ('is_enabled' in variable) {
    for (const key of ['is_enabled', 'is_inheritable'] as const) {
      const wanted = fields[key];
      if (wanted !== undefined && wanted !== variable[key]) patch[key] = wanted;
    }
  }
  const scope = fields.application_scope;
  if (scope && [...scope].sort().join('\n') !== [...variable.application_scope].sort().join('\n')) patch.application_scope = scope;
  return patch;
}

/**
 * PATCHes the changes, if any. Returns the updated variable, or undefined when nothing changed
 * and `allowNoChange` is set; without it "No changes were provided." exits 1.
 */
export async function applyChanges(
  ctx: Context,
  target: VariableTarget,
  variable: Variable,
  fields: VariableFields,
  allowNoChange: boolean,
): Promise<Variable | undefined> {
  checkLevelFields(levelOf(variable), fields);
  const patch = changedFields(variable, fields);
  const becomesJson = patch.is_json ?? variable.is_json;
  if (becomesJson && !isHidden(variable)) checkJsonValue(patch.value ?? variable.value ?? '');
  else if (becomesJson && patch.value !== undefined) checkJsonValue(patch.value);
  if (Object.keys(patch).length === 0) {
    ctx.io.message('No changes were provided.');
    if (allowNoChange) return undefined;
    throw new CliError('generic', 'No changes were provided.');
  }
  if (patch.value !== undefined && (variable.is_sensitive || patch.is_sensitive === true)) ctx.io.secrets.add(patch.value);
  const updated = await updateVariable(ctx, target, variable.name, patch);
  ctx.io.message(`Variable ${variable.name} updated`);
  return updated;
}
