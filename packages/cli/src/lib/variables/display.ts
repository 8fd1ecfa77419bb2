import type { Context } from '../context.js';
import type { OutputOptions } from '../output/output-options.js';
import { renderProperties } from '../output/render.js';
import { resourceProperties } from '../output/resource-properties.js';
import { isHidden, levelOf, type Variable } from './variable-api.js';

/** What the CLI shows in place of a sensitive value, as the Platform.sh CLI does. */
export const HIDDEN_VALUE = '[Hidden: sensitive value]';

export const variableDateProperties = ['created_at', 'updated_at'];

/**
 * A variable's properties for display, `level` added. A sensitive value reads
 * `[Hidden: sensitive value]` in a table and is empty (null in JSON) in machine formats, so
 * scripts never mistake the marker for a value.
 */
export function variableProperties(variable: Variable, format: OutputOptions['format']): Record<string, unknown> {
  const { id, name, value, ...rest } = resourceProperties(variable);
  const shown = isHidden(variable) ? (format === 'table' ? HIDDEN_VALUE : null) : value;
  return { id, name, level: levelOf(variable), value: shown, ...rest };
}

export async function renderVariable(ctx: Context, variable: Variable, output: OutputOptions): Promise<void> {
  await renderProperties(ctx.io, variableProperties(variable, output.format), output, variableDateProperties);
}

export const defaultOutput: OutputOptions = { format: 'table', columns: undefined, header: true, dateFmt: undefined };

/** Changing a variable starts no deployment yet, so say what the Platform.sh CLI says then. */
export function redeployNotice(ctx: Context): void {
  ctx.io.message('The remote environment(s) must be redeployed for the change to take effect.');
}
