import { CliError } from '../errors.js';
import type { OptionDefinition } from '../command.js';

export const outputFormats = ['table', 'csv', 'tsv', 'plain', 'json'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export interface OutputOptions {
  format: OutputFormat;
  /** Raw `--columns` value: names, `+` for the defaults, `*`/`%` wildcards. */
  columns: string | undefined;
  header: boolean;
  dateFmt: string | undefined;
}

/** The options every command that prints a table accepts, as in the Platform.sh CLI. */
export const outputOptionDefinitions: OptionDefinition[] = [
  { flags: '--format <format>', description: `The output format: ${outputFormats.join(', ')}`, defaultValue: 'table' },
  { flags: '-c, --columns <columns>', description: 'Columns to display; "+" adds the default columns, "*" is a wildcard' },
  { flags: '--no-header', description: 'Do not output the table header' },
  { flags: '--date-fmt <format>', description: 'Date format in PHP date() letters, e.g. "Y-m-d H:i" (default: ISO 8601 as the API returns it)' },
];

export function readOutputOptions(options: Record<string, unknown>): OutputOptions {
  const format = String(options.format ?? 'table').toLowerCase();
  if (!(outputFormats as readonly string[]).includes(format)) {
    throw new CliError('usage', `Invalid format: ${format}. Supported formats: ${outputFormats.join(', ')}`);
  }
  return {
    format: format as OutputFormat,
    columns: typeof options.columns === 'string' ? options.columns : undefined,
    header: options.header !== false,
    dateFmt: typeof options.dateFmt === 'string' ? options.dateFmt : undefined,
  };
}
