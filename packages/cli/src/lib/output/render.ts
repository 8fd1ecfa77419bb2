import type { Io } from '../io.js';
import { selectColumns } from './columns.js';
import type { OutputOptions } from './output-options.js';

export interface TableData {
  /** Every column a user can ask for with --columns, in display order. */
  columns: readonly string[];
  defaultColumns: readonly string[];
  rows: readonly Record<string, unknown>[];
  /** Columns holding ISO dates, which --date-fmt reformats. */
  dateColumns?: readonly string[];
  /** Header labels where they differ from the column names. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * The one renderer behind every listing: table (boxed, fitted to the terminal), csv (RFC 4180),
 * tsv, plain (tab-separated, no quoting) and json (typed values, selected columns).
 */
export async function renderTable(io: Io, data: TableData, options: OutputOptions): Promise<void> {
  const columns = selectColumns(options.columns, data.columns, data.defaultColumns);
  if (options.format === 'json') {
    const rows = data.rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? null])));
    io.data(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const formatDate = options.dateFmt ? await dateFormatter(options.dateFmt) : undefined;
  const cells = data.rows.map((row) =>
    columns.map((column) => {
      const text = cellText(row[column]);
      return formatDate && data.dateColumns?.includes(column) && text ? formatDate(text) : text;
    }),
  );
  const header = columns.map((column) => data.headers?.[column] ?? column);
  if (options.format === 'table') {
    io.data(await boxedTable(options.header ? header : undefined, cells, io));
    return;
  }
  const lines = options.header ? [header, ...cells] : cells;
  const encode = encoders[options.format];
  io.data(lines.map((line) => line.map(encode.cell).join(encode.separator)).join('\n') + (lines.length ? '\n' : ''));
}

/** A record shown as Property | Value rows (auth:info), or as one JSON object. */
export async function renderProperties(
  io: Io,
  properties: Readonly<Record<string, unknown>>,
  options: OutputOptions,
  dateProperties: readonly string[] = [],
): Promise<void> {
  if (options.format === 'json') {
    io.data(`${JSON.stringify(properties, null, 2)}\n`);
    return;
  }
  const formatDate = options.dateFmt ? await dateFormatter(options.dateFmt) : undefined;
  const rows = Object.entries(properties).map(([property, value]) => ({
    property,
    value: formatDate && dateProperties.includes(property) && typeof value === 'string' ? formatDate(value) : value,
  }));
  await renderTable(io, { columns: ['property', 'value'], defaultColumns: ['property', 'value'], rows, headers: { property: 'Property', value: 'Value' } }, { ...options, dateFmt: undefined });
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

async function dateFormatter(phpFormat: string): Promise<(value: string) => string> {
  const { formatDate } = await import('./php-date-format.js');
  return (value) => formatDate(value, phpFormat);
}

const needsCsvQuotes = /[",\r\n]/;
const needsTsvQuotes = /["\t\r\n]/;
const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

const encoders: Record<'csv' | 'tsv' | 'plain', { separator: string; cell: (text: string) => string }> = {
  csv: { separator: ',', cell: (text) => (needsCsvQuotes.test(text) ? quote(text) : text) },
  tsv: { separator: '\t', cell: (text) => (needsTsvQuotes.test(text) ? quote(text) : text) },
  plain: { separator: '\t', cell: (text) => text.replace(/[\t\r\n]+/g, ' ') },
};

/** Platform.sh-style ASCII box (`+---+`), shrinking the widest columns to fit the terminal. */
async function boxedTable(header: string[] | undefined, cells: string[][], io: Io): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const widths = fitColumnWidths([...(header ? [header] : []), ...cells], io.width);
  const table = new Table({
    ...(header ? { head: header } : {}),
    ...(widths ? { colWidths: widths, wordWrap: true, wrapOnWordBoundary: false } : {}),
    chars: {
      top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
      bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
      left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+', right: '|', 'right-mid': '+', middle: '|',
    },
    style: { head: io.colourOnStdout ? ['bold'] : [], border: [], compact: true },
  });
  table.push(...cells);
  return `${table.toString()}\n`;
}

/** Column widths (with padding) that fit `width`, or undefined when no shrinking is needed. */
export function fitColumnWidths(lines: string[][], width: number | undefined): number[] | undefined {
  if (!width || lines.length === 0) return undefined;
  const count = lines[0]?.length ?? 0;
  const natural = Array.from({ length: count }, (_, column) =>
    Math.max(...lines.map((line) => Math.max(...(line[column] ?? '').split('\n').map((part) => part.length))), 1) + 2,
  );
  const borders = count + 1;
  const total = () => natural.reduce((sum, w) => sum + w, 0) + borders;
  if (total() <= width) return undefined;
  const minimum = 8;
  while (total() > width) {
    const widest = natural.indexOf(Math.max(...natural));
    if ((natural[widest] ?? 0) <= minimum) break;
    natural[widest] = (natural[widest] ?? 0) - 1;
  }
  return natural;
}
