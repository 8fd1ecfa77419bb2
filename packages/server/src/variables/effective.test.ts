import { describe, expect, it } from 'vitest';
import type { VariableRow } from '../db/schema.js';
import { ancestry, effectiveVariables } from './effective.js';
import { renderEnvironment } from './render.js';

function row(name: string, value: string, environment = '', flags: Partial<VariableRow> = {}): VariableRow {
  return {
    id: `${environment}/${name}`,
    project_id: 'p',
    environment_id: environment,
    name,
    value,
    is_json: 0,
    is_sensitive: 0,
    visible_build: 1,
    visible_runtime: 1,
    is_inheritable: 1,
    is_enabled: 1,
    application_scope: '[]',
    attributes: '{}',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...flags,
  };
}

const environments = [
  { id: 'main', parent: null },
  { id: 'staging', parent: 'main' },
  { id: 'feature', parent: 'staging' },
];

function resolve(projectRows: VariableRow[], own: Record<string, VariableRow[]>, target: string) {
  const result = effectiveVariables(projectRows, ancestry(environments, target), new Map(Object.entries(own)));
  return Object.fromEntries(result.map((v) => [v.row.name, `${v.row.value}${v.inherited ? ' (inherited)' : ''}`]));
}

describe('effective variables', () => {
  it('walks grandparent → parent → child: the nearest definition wins, environment beats project', () => {
    const project = [row('system_version', '1.5'), row('region', 'eu')];
    const own = { main: [row('system_version', '1.6', 'main'), row('color', 'blue', 'main')], staging: [row('system_version', '1.7', 'staging')] };
    expect(resolve(project, own, 'feature')).toEqual({ color: 'blue (inherited)', region: 'eu (inherited)', system_version: '1.7 (inherited)' });
    expect(resolve(project, own, 'staging')).toEqual({ color: 'blue (inherited)', region: 'eu (inherited)', system_version: '1.7' });
    expect(resolve(project, own, 'main')).toEqual({ color: 'blue', region: 'eu (inherited)', system_version: '1.6' });
  });

  it('keeps a non-inheritable value on its environment; children fall back to the project value or nothing', () => {
    const project = [row('paypal_id', 'sandbox')];
    const own = { main: [row('paypal_id', 'live', 'main', { is_inheritable: 0 }), row('env:SECRET', 'x', 'main', { is_inheritable: 0 })] };
    expect(resolve(project, own, 'main')).toEqual({ 'env:SECRET': 'x', paypal_id: 'live' });
    expect(resolve(project, own, 'staging')).toEqual({ paypal_id: 'sandbox (inherited)' });
    expect(resolve(project, own, 'feature')).toEqual({ paypal_id: 'sandbox (inherited)' });
  });

  it('lets a child switch an inherited variable off, for itself and its own children', () => {
    const own = { main: [row('debug', '1', 'main')], staging: [row('debug', '1', 'staging', { is_enabled: 0 })] };
    expect(resolve([], own, 'main')).toEqual({ debug: '1' });
    expect(resolve([], own, 'staging')).toEqual({});
    expect(resolve([], own, 'feature')).toEqual({});
  });

  it('does not inherit a disabled variable of an ancestor that was never enabled there', () => {
    const own = { main: [row('flag', 'on', 'main', { is_enabled: 0 })] };
    expect(resolve([row('flag', 'project')], own, 'staging')).toEqual({});
  });

  it('renders env: variables as their own environment variables and every other visible one in PIER_VARIABLES', () => {
    const variables = effectiveVariables(
      [row('stuff:STEPS', '["one","two"]', '', { is_json: 1 }), row('build_only', 'b', '', { visible_runtime: 0 })],
      ancestry(environments, 'main'),
      new Map([['main', [row('env:PIER_CLI_TOKEN', 'pier_x', 'main', { is_sensitive: 1 }), row('env:INGREDIENTS', '["peanut butter","jelly"]', 'main', { is_json: 1 })]]]),
    );
    const runtime = renderEnvironment(variables, 'runtime', 'PIER_', (v) => v.row.value);
    expect(runtime.PIER_CLI_TOKEN).toBe('pier_x');
    expect(runtime.INGREDIENTS).toBe('["peanut butter","jelly"]');
    expect(JSON.parse(Buffer.from(runtime.PIER_VARIABLES!, 'base64').toString())).toEqual({ 'stuff:STEPS': ['one', 'two'] });
    const build = renderEnvironment(variables, 'build', 'PIER_', (v) => v.row.value);
    expect(Object.keys(JSON.parse(Buffer.from(build.PIER_VARIABLES!, 'base64').toString()))).toContain('build_only');
  });
});
