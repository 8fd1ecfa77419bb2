import type { Environment, VariableRow } from '../db/schema.js';

/**
 * How an environment sees its variables (Platform.sh rules):
 * - project variables are the base of every environment;
 * - an environment receives what its parent passes on and applies its own variables on top
 *   (the nearest definition wins; environment beats project);
 * - a parent passes on its own variable only when it is inheritable — otherwise its children
 *   see what the parent itself received (the project value, or nothing);
 * - an own variable with `is_enabled = false` switches that name off here (and, when
 *   inheritable, below).
 */
export interface EffectiveVariable {
  row: VariableRow;
  level: 'project' | 'environment';
  /** Defined by an ancestor environment or the project, not by this environment. */
  inherited: boolean;
}

type Slot = { variable: EffectiveVariable | null };
type Scope = Map<string, Slot>;

/**
 * `chain` runs from the root environment down to the one asked about; `rowsByEnvironment` holds
 * each environment's own rows.
 */
export function effectiveVariables(
  projectRows: readonly VariableRow[],
  chain: readonly Pick<Environment, 'id'>[],
  rowsByEnvironment: ReadonlyMap<string, readonly VariableRow[]>,
): EffectiveVariable[] {
  let received: Scope = new Map(projectRows.map((row) => [row.name, { variable: { row, level: 'project', inherited: true } }]));
  let effective: Scope = received;
  for (const [index, environment] of chain.entries()) {
    const isTarget = index === chain.length - 1;
    effective = new Map(received);
    for (const row of rowsByEnvironment.get(environment.id) ?? []) {
      effective.set(row.name, { variable: row.is_enabled === 1 ? { row, level: 'environment', inherited: !isTarget } : null });
    }
    if (!isTarget) received = passedOn(received, effective, rowsByEnvironment.get(environment.id) ?? []);
  }
  return [...effective.values()]
    .map((slot) => slot.variable)
    .filter((v): v is EffectiveVariable => v !== null)
    .sort((a, b) => a.row.name.localeCompare(b.row.name));
}

/** What an environment hands to its children. */
function passedOn(received: Scope, effective: Scope, ownRows: readonly VariableRow[]): Scope {
  const next: Scope = new Map(effective);
  for (const row of ownRows) {
    if (row.is_inheritable === 1) continue;
    const before = received.get(row.name);
    if (before) next.set(row.name, before);
    else next.delete(row.name);
  }
  return next;
}

/** The chain from the root environment down to `environmentId`, following `parent`. */
export function ancestry<T extends Pick<Environment, 'id' | 'parent'>>(environments: readonly T[], environmentId: string): T[] {
  const byId = new Map(environments.map((e) => [e.id, e]));
  const chain: T[] = [];
  const seen = new Set<string>();
  for (let current = byId.get(environmentId); current && !seen.has(current.id); current = current.parent ? byId.get(current.parent) : undefined) {
    seen.add(current.id);
    chain.unshift(current);
  }
  return chain;
}
