import { flag, list, text, type OptionValues } from '../command.js';
import { expectData } from '../api-client.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Activity } from './activity.js';

/** The filters of activity:list, activity:get, activity:log and activity:cancel. */
export const activityFilterOptions = {
  type: list('-t, --type <type>', 'Filter by type (repeatable; comma-separated; "%" or "*" wildcards; the "environment." prefix is optional)'),
  excludeType: list('-x, --exclude-type <type>', 'Exclude a type (repeatable, same syntax as --type)'),
  state: list('--state <state>', 'Filter by state: pending, in_progress, complete, cancelled (repeatable; comma-separated)'),
  result: list('--result <result>', 'Filter by result: success, failure (repeatable; comma-separated)'),
  incomplete: flag('-i, --incomplete', 'Only incomplete activities (the same as --state pending,in_progress)'),
  start: text('--start <date>', 'Only activities created at or before this date (ISO 8601 or anything Date understands)'),
  all: flag('-a, --all', 'Activities of the whole project, not only of the current environment'),
};

export type ActivityFilterOptions = Partial<OptionValues<typeof activityFilterOptions>>;

export interface ActivityQuery {
  projectId: string;
  /** Environment-scoped when set, project-wide otherwise. */
  environmentId?: string;
  limit: number;
  filters: ActivityFilterOptions;
}

const PAGE_SIZE = 100;
const states = ['pending', 'in_progress', 'complete', 'cancelled'];
const results = ['success', 'failure'];

/**
 * Newest first, as the Platform.sh CLI's ActivityLoader: exact types, states and results go to
 * the server; wildcard or short types (`backup` → `*.backup`) and exclusions are matched here.
 * Pages are fetched by re-querying with `starts_at` = the oldest `created_at` seen, and
 * de-duplicated by id (activities created in the same instant appear on both pages).
 */
export async function loadActivities(ctx: Context, query: ActivityQuery): Promise<Activity[]> {
  const { filters } = query;
  const typePatterns = splitValues(filters.type).map(typePattern);
  const excluded = splitValues(filters.excludeType).map(typePattern);
  const exactTypes = typePatterns.every((pattern) => pattern.exact) ? typePatterns.map((pattern) => pattern.source) : [];
  const wantedStates = filters.incomplete ? ['pending', 'in_progress'] : checked(splitValues(filters.state), states, 'state');
  const wantedResults = checked(splitValues(filters.result), results, 'result');
  let startsAt = filters.start ? parseStart(filters.start) : undefined;

  // Filters matched here need full pages; otherwise ask for what is missing (+1: the item on the
  // page boundary comes back on the next page).
  const clientSide = excluded.length > 0 || typePatterns.some((pattern) => !pattern.exact);
  const found: Activity[] = [];
  const seen = new Set<string>();
  for (;;) {
    const count = clientSide ? PAGE_SIZE : Math.min(PAGE_SIZE, query.limit - found.length + 1);
    const page = await fetchPage(ctx, query, {
      ...(exactTypes.length ? { type: exactTypes } : {}),
      ...(wantedStates.length ? { state: wantedStates } : {}),
      ...(wantedResults.length ? { result: wantedResults } : {}),
      count,
      ...(startsAt ? { starts_at: startsAt } : {}),
    });
    let fresh = 0;
    for (const activity of page) {
      if (seen.has(activity.id)) continue;
      seen.add(activity.id);
      fresh++;
      if (typePatterns.length && !typePatterns.some((pattern) => pattern.regex.test(activity.type))) continue;
      if (excluded.some((pattern) => pattern.regex.test(activity.type))) continue;
      found.push(activity);
      if (found.length >= query.limit) return found;
    }
    const oldest = page[page.length - 1];
    if (!oldest || page.length < count || fresh === 0) return found;
    startsAt = oldest.created_at;
  }
}

async function fetchPage(ctx: Context, query: ActivityQuery, params: { type?: string[]; state?: string[]; result?: string[]; count: number; starts_at?: string }): Promise<Activity[]> {
  const api = ctx.api();
  const result = query.environmentId
    ? await api.GET('/projects/{projectId}/environments/{environmentId}/activities', {
        params: { path: { projectId: query.projectId, environmentId: query.environmentId }, query: params },
      })
    : await api.GET('/projects/{projectId}/activities', { params: { path: { projectId: query.projectId }, query: params } });
  return expectData(result, ctx.loginHelp());
}

/** Repeated and comma-separated values, as in `--state pending,in_progress --state complete`. */
function splitValues(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(/[,\s]+/)).filter(Boolean);
}

function checked(values: string[], allowed: string[], what: string): string[] {
  for (const value of values) {
    if (!allowed.includes(value)) throw new CliError('usage', `Invalid ${what}: ${value} (allowed: ${allowed.join(', ')})`);
  }
  return values;
}

interface TypePattern {
  source: string;
  exact: boolean;
  regex: RegExp;
}

/** `environment.backup` exactly; `backup` → any `*.backup`; `%`/`*` are wildcards. */
function typePattern(value: string): TypePattern {
  const wildcard = /[*%]/.test(value);
  const qualified = value.includes('.');
  const escaped = value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[*%]/g, '.*');
  const regex = new RegExp(qualified || wildcard ? `^${escaped}$` : `^(?:[^.]+\\.)?${escaped}$`);
  return { source: value, exact: qualified && !wildcard, regex };
}

function parseStart(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new CliError('usage', `Invalid --start date: ${value}`);
  return date.toISOString();
}
