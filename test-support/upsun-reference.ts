import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './pier-server.js';

/**
 * The Upsun OpenAPI document (the subset for API-token automation, in ../shared/reference beside the checkout, as in CI),
 * adapted for the schema test by `adaptReference`.
 */
export function loadUpsunReference(): Json {
  return adaptReference(JSON.parse(fs.readFileSync(path.join(repoRoot, '../shared/reference/upsun-openapi-automation-subset.json'), 'utf8')) as Json);
}

/**
 * The deliberate differences between the Upsun reference document and what the schema test
 * holds Pier to, each with its reason. Everything else in the document applies as written.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * 1. Extra properties on objects the document closes (`additionalProperties: false`). The
 *    document leaves HAL `_links` out of its schemas "for brevity" (its own introduction), though
 *    the API and its clients depend on them; the other names are documented Pier additions, or
 *    fields the real API sends that the document omits (`vendor`, which the CLI filters on).
 */
export const allowedAdditions: Record<string, readonly string[]> = {
  Project: ['vendor'],
  Activity: ['attempts', 'started_by'],
  Backup: ['sha256'],
  UserProjectAccess: ['user'],
};

/**
 * 2. Required fields Pier leaves out because it has no value for them, and an empty string would
 *    break their format: a user's picture and website (URIs) and country (two letters).
 */
export const absentRequired: Record<string, readonly string[]> = {
  User: ['picture', 'website', 'country'],
};

/**
 * 3. Not a difference but a reading: an OpenAPI 3.0 `nullable` enum admits null (what the API
 *    sends, e.g. an activity's `failure_reason` until it fails), while ajv follows the 3.0.3
 *    clarification that wants null listed in the enum too. Null is added to such enums.
 */
export function adaptReference(document: Json): Json {
  const copy = structuredClone(document);
  const schemas = copy.components.schemas as Json;
  walk(copy, openForHal);
  walk(copy, nullableEnums);
  for (const [name, fields] of Object.entries(allowedAdditions)) {
    for (const field of fields) schemas[name].properties[field] ??= {};
  }
  for (const [name, fields] of Object.entries(absentRequired)) {
    schemas[name].required = (schemas[name].required as string[]).filter((field) => !fields.includes(field));
  }
  return copy;
}

/** Lets every closed object schema carry HAL `_links`. */
function openForHal(schema: Json): void {
  if (schema.additionalProperties === false && schema.properties) schema.properties._links ??= { type: 'object' };
}

function nullableEnums(schema: Json): void {
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}

function walk(node: unknown, visit: (schema: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((item) => walk(item, visit));
  if (!node || typeof node !== 'object') return;
  visit(node as Json);
  for (const value of Object.values(node)) walk(value, visit);
}
