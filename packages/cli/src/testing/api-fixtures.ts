/**
 * API bodies for command tests: only the fields the CLI reads, with overridable defaults. Project
 * `p1` ("Shop", default branch `main`) and its environments at http://pier.test.
 */
import { API_URL } from './run-command.js';

type Body = Record<string, unknown>;

export function projectBody(overrides: Body = {}): Body {
  return { id: 'p1', title: 'Shop', default_branch: 'main', status: { code: 'active' }, _links: { self: { href: `${API_URL}/projects/p1` } }, ...overrides };
}

/** An environment; `links` are the action links the caller may follow (`#backup`, …). */
export function environmentBody(id = 'main', overrides: Body = {}, links: string[] = []): Body {
  const self = `${API_URL}/projects/p1/environments/${id}`;
  const actionLinks = Object.fromEntries(links.map((rel) => [rel, { href: `${self}/${rel.slice(1)}`, method: 'POST' }]));
  return { id, name: id, machine_name: id, title: id, type: 'production', status: 'active', project: 'p1', parent: null, _links: { self: { href: self }, ...actionLinks }, ...overrides };
}

export function activityBody(overrides: Body = {}): Body {
  const id = typeof overrides.id === 'string' ? overrides.id : 'act-1';
  return {
    id,
    type: 'environment.backup',
    state: 'pending',
    result: null,
    completion_percent: 0,
    project: 'p1',
    environments: ['main'],
    payload: {},
    description: 'A backup',
    text: 'Alice created a backup of main',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    started_at: null,
    completed_at: null,
    cancelled_at: null,
    _links: { self: { href: `${API_URL}/projects/p1/activities/${id}` } },
    ...overrides,
  };
}

/** The 202 of a long operation. */
export function longOperationBody(...activities: Body[]): Body {
  return { _embedded: { activities } };
}

