import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are validated strictly (a JSON number is not a name), while query strings and path
 * parameters arrive as text and are coerced to the schema's types (`?count=2`).
 */
export function registerValidation(app: FastifyInstance): void {
  const base: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const strict = withFormats(new Ajv({ ...base, coerceTypes: false }));
  const coercing = withFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}

const rfc3339DateTime = fullFormats['date-time'] as { validate: (value: string) => boolean };

function withFormats(ajv: Ajv): Ajv {
  addFormats.default(ajv);
  // RFC 3339 allows a leap second (23:59:60) that JavaScript dates cannot hold: every handler
  // turns a date-time into a Date, so accept only what Date can represent.
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => rfc3339DateTime.validate(value) && Number.isFinite(Date.parse(value)) });
  return ajv;
}
