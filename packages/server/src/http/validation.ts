import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are validated strictly (a JSON number is not a name), while query strings and path
 * parameters arrive as text and are coerced to the schema's types (`?count=2`).
 */
export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => compiledOnFirstUse(() => validatorFor(httpPart === 'body' ? 'strict' : 'coercing', schema)));
}

/**
 * A route's validator, compiled when a request first needs it rather than every route's at start
 * (most processes never see most routes): the same Ajv function, its `errors` passed on to Fastify.
 */
function compiledOnFirstUse(compile: () => ValidateFunction): (data: unknown) => boolean {
  let compiled: ValidateFunction | undefined;
  const validate = Object.assign(
    (data: unknown): boolean => {
      compiled ??= compile();
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    },
    { errors: null as ValidateFunction['errors'] },
  );
  return validate;
}

type Mode = 'strict' | 'coercing';
let validators: Record<Mode, Ajv> | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * Each schema is compiled once per process, by its content: a validator depends on nothing else,
 * and a process that builds several apps (the test suite builds hundreds, one per database) would
 * otherwise compile every route's again for each.
 */
function validatorFor(mode: Mode, schema: unknown): ValidateFunction {
  const key = `${mode} ${JSON.stringify(schema)}`;
  let validate = compiled.get(key);
  if (!validate) {
    const base: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
    validators ??= { strict: withFormats(new Ajv({ ...base, coerceTypes: false })), coercing: withFormats(new Ajv({ ...base, coerceTypes: 'array' })) };
    validate = validators[mode].compile(schema as object);
    compiled.set(key, validate);
  }
  return validate;
}

const rfc3339DateTime = fullFormats['date-time'] as { validate: (value: string) => boolean };

/**
 * An RFC 3339 date-time that names a real instant JavaScript can hold: no 30 February, and no
 * leap second (23:59:60), which RFC 3339 allows but every handler would turn into a Date.
 */
export function isInstant(value: string): boolean {
  return rfc3339DateTime.validate(value) && Number.isFinite(Date.parse(value));
}

function withFormats(ajv: Ajv): Ajv {
  addFormats.default(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isInstant });
  return ajv;
}
