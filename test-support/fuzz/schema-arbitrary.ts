import fc from 'fast-check';
import { nastyNumbers, nastyStrings } from './nasty-values.js';

/** The parts of JSON Schema (as the OpenAPI document writes it) that the generator reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
}

const anyNasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...nastyStrings),
  fc.constantFrom<unknown>(...nastyNumbers),
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { nested: { deeper: ['\u0000'] } }),
);

const dateTimes = fc.oneof(
  fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2030-06-30T23:59:60Z', '2030-02-30T00:00:00Z', '1969-12-31T23:59:59Z', '2030-01-01T00:00:00+14:00', '2030-01-01', 'tomorrow'),
);

/**
 * Values for a schema: mostly well-formed (so requests get past validation into the handlers),
 * sometimes wrong at this level, and wrong somewhere deeper just as often, because every level
 * recurses through here.
 */
export function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyNasty;
  return fc.oneof({ weight: 5, arbitrary: wellFormed(schema, depth) }, { weight: 1, arbitrary: anyNasty });
}

function wellFormed(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueFor(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return objectFor(schema, depth);
    case 'array':
      return fc.array(valueFor(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 2 ** 31) }), fc.constantFrom(...nastyNumbers));
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...nastyNumbers));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return anyNasty;
  }
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const fields = (keys: string[]) => fc.record(Object.fromEntries(keys.map((key) => [key, valueFor(properties[key], depth + 1)])), { requiredKeys: [] });
  const required = fc.record(Object.fromEntries((schema.required ?? []).map((key) => [key, valueFor(properties[key], depth + 1)])));
  const extra =
    typeof schema.additionalProperties === 'object'
      ? fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...nastyStrings.slice(0, 20))), valueFor(schema.additionalProperties, depth + 1), { maxKeys: 3 })
      : fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), anyNasty, { maxKeys: 2 }) });
  // Required fields are there most of the time; a missing one must still be a clear 400.
  const withRequired = fc.oneof({ weight: 4, arbitrary: required }, { weight: 1, arbitrary: fc.constant({}) });
  return fc.tuple(extra, withRequired, fields(Object.keys(properties))).map(([more, needed, value]) => ({ ...more, ...needed, ...value }));
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom(...nastyStrings)];
  if (schema.format === 'date-time') options.push(dateTimes, dateTimes);
  if (schema.format === 'email') options.push(fc.emailAddress(), fc.emailAddress());
  if (schema.format === 'uuid') options.push(fc.uuid());
  if (schema.pattern) options.push(fc.stringMatching(new RegExp(schema.pattern, 'u'), { size: 'small' }));
  return fc.oneof(...options);
}
