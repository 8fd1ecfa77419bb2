import { CliError } from '../errors.js';

/**
 * Resolves `--columns` as the Platform.sh CLI does: a comma or space separated list,
 * case-insensitive; `+` stands for the default columns (`-c +last_used_at`); `*` and `%` are
 * wildcards (`-c '*_at'`). Unknown names are an error that lists the available ones.
 */
export function selectColumns(requested: string | undefined, available: readonly string[], defaults: readonly string[]): string[] {
  if (!requested?.trim()) return [...defaults];
  const selected: string[] = [];
  const add = (column: string) => {
    if (!selected.includes(column)) selected.push(column);
  };
  for (const raw of requested.split(/[\s,]+/).filter(Boolean)) {
    let name = raw;
    if (name.startsWith('+')) {
      defaults.forEach(add);
      name = name.slice(1);
      if (!name) continue;
    }
    const matches = matchColumns(name, available);
    if (matches.length === 0) {
      throw new CliError('usage', `Column not found: ${name} (available columns: ${available.join(', ')})`);
    }
    matches.forEach(add);
  }
  return selected;
}

function matchColumns(pattern: string, available: readonly string[]): string[] {
  const lower = pattern.toLowerCase();
  if (!/[*%]/.test(lower)) return available.filter((column) => column.toLowerCase() === lower);
  const escaped = lower.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[*%]/g, '.*');
  const regex = new RegExp(`^${escaped}$`);
  return available.filter((column) => regex.test(column.toLowerCase()));
}
