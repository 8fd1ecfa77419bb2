import { CliError } from '../errors.js';
import { negatedFlag, text, type OptionValues } from '../command.js';

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
export const outputOptions = {
  format: text('--format <format>', `The output format: ${outputFormats.join(', ')}`, { defaultValue: 'table' }),
  columns: text('-c, --columns <columns>', 'Columns to display; "+" adds the default columns, "*" is a wildcard'),
  header: negatedFlag('--no-header', 'Do not output the table header'),
  dateFmt: text('--date-fmt <format>', 'Date format in PHP date() letters, e.g. "Y-m-d H:i" (default: ISO 8601 as the API returns it)'),
};

export function readOutputOptions(options: OptionValues<typeof outputOptions>): OutputOptions {
  const format = options.format.toLowerCase();
  if (!(outputFormats as readonly string[]).includes(format)) {
    throw new CliError('usage', `Invalid format: ${format}. Supported formats: ${outputFormats.join(', ')}`);
  }
  return {
    format: format as OutputFormat,
    columns: options.columns,
    header: options.header,
    dateFmt: options.dateFmt,
  };
}
