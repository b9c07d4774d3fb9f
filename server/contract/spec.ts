/**
 * Reads openapi.yaml once and compiles validators from it, as Prism does: the server never
 * holds a copy of the contract in code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { parseSpec } from './parsed-spec';
import { looseNumerals } from './plain-numbers';

export const SPEC_ID = 'openapi.yaml';

/** openapi.yaml sits at the package root, both beside `server/` and beside `dist/`. */
export function findSpecPath(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'openapi.yaml');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`openapi.yaml not found above ${from}`);
    dir = parent;
  }
}

export interface Contract {
  /** The file's exact bytes (served by `GET /__sandbox/openapi.yaml`). */
  readonly text: string;
  /** The parsed document. */
  readonly document: Record<string, unknown>;
  /** A validator for a schema under `#/components/schemas/NAME`, for request data (types coerced from text). */
  requestValidator(schemaName: string): ValidateFunction;
  /** A validator for any JSON pointer into the document, without coercion (responses, events). */
  validator(pointer: string): ValidateFunction;
  /**
   * A validator of one property of a request schema, given `{ [property]: value }` so that
   * coercion (multipart text read as numbers and booleans) can write the value back, and
   * errors name the property. `coerce: false` for JSON bodies, whose values keep their types.
   */
  propertyValidator(schemaName: string, property: string, coerce: boolean): ValidateFunction;
  /**
   * A validator for any JSON pointer that reports every error, not only the first: what the
   * recording proxy lists as violations. `coerce` reads text as the schema's types (forms, queries).
   */
  auditor(pointer: string, coerce: boolean): ValidateFunction;
}

/**
 * ajv is loaded with the first validator rather than at start (about a third of the time to a
 * healthy sandbox); the sandbox compiles the request validator right after it starts listening.
 */
function newAjv(coerce: boolean, allErrors = false): Ajv2020 {
  const Ajv = (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default;
  const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
  // The document is checked against the OpenAPI meta-schema by a test, not at every start.
  // verbose: an error carries the schema node it came from (an enum field's type error lists the enum).
  const ajv = new Ajv({ strict: false, allErrors, verbose: true, coerceTypes: coerce, validateFormats: true, validateSchema: false });
  addFormats(ajv);
  // Files are checked by the inspect step, not by the schema.
  ajv.addFormat('binary', true);
  return ajv;
}

/**
 * A coercing validator that first refuses form text ajv would read as a number but the live
 * API would not ('0x2'): the same `type` error ajv gives for 'abc'. It looks before ajv
 * does, because coercion writes the numbers into the data.
 */
function decimalNumeralsOnly(validate: ValidateFunction, schema: unknown, document: Record<string, unknown>, allErrors: boolean): ValidateFunction {
  const checked = ((data: unknown) => {
    const loose = looseNumerals(data, schema, document);
    if (loose.length === 0) {
      const valid = validate(data);
      checked.errors = validate.errors ?? null;
      return valid;
    }
    const refused: ErrorObject[] = loose.map(({ instancePath, type }) => ({ keyword: 'type', instancePath, schemaPath: '#/type', params: { type }, message: `must be ${type}` }));
    if (!allErrors) {
      checked.errors = refused.slice(0, 1);
      return false;
    }
    validate(data);
    const elsewhere = (validate.errors ?? []).filter((error) => !loose.some((found) => found.instancePath === error.instancePath));
    checked.errors = [...refused, ...elsewhere];
    return false;
  }) as ValidateFunction;
  return Object.assign(checked, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

/** Loads and compiles the contract; call once per process and share. */
export function loadContract(specPath: string = findSpecPath()): Contract {
  const text = fs.readFileSync(specPath, 'utf8');
  const document = parseSpec(text, specPath);
  const ajvs: Partial<Record<'request' | 'response', Ajv2020>> = {};
  const ajvFor = (kind: 'request' | 'response'): Ajv2020 => {
    let ajv = ajvs[kind];
    if (!ajv) {
      ajv = newAjv(kind === 'request');
      ajv.addSchema(document, SPEC_ID);
      ajvs[kind] = ajv;
    }
    return ajv;
  };
  const cache = new Map<string, ValidateFunction>();
  const compiled = (kind: 'request' | 'response', ref: string): ValidateFunction => {
    const key = `${kind}:${ref}`;
    let fn = cache.get(key);
    if (!fn) {
      fn = ajvFor(kind).getSchema(ref);
      if (!fn) throw new Error(`No schema at ${ref} in openapi.yaml`);
      if (kind === 'request') fn = decimalNumeralsOnly(fn, { $ref: ref }, document, false);
      cache.set(key, fn);
    }
    return fn;
  };
  const propertyCache = new Map<string, ValidateFunction>();
  const propertyValidator = (schemaName: string, property: string, coerce: boolean): ValidateFunction => {
    const key = `${coerce ? 'req' : 'res'}:${schemaName}:${property}`;
    let fn = propertyCache.get(key);
    if (!fn) {
      const pointer = `${SPEC_ID}#/components/schemas/${schemaName}/properties/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const schema = { type: 'object', properties: { [property]: { $ref: pointer } } };
      fn = ajvFor(coerce ? 'request' : 'response').compile(schema);
      if (coerce) fn = decimalNumeralsOnly(fn, schema, document, false);
      propertyCache.set(key, fn);
    }
    return fn;
  };
  // The auditors' ajvs are made on first use: only the recording proxy needs them.
  const auditAjvs = new Map<boolean, Ajv2020>();
  const auditor = (pointer: string, coerce: boolean): ValidateFunction => {
    const key = `audit:${coerce}:${pointer}`;
    let fn = cache.get(key);
    if (!fn) {
      let ajv = auditAjvs.get(coerce);
      if (!ajv) {
        ajv = newAjv(coerce, true);
        ajv.addSchema(document, SPEC_ID);
        auditAjvs.set(coerce, ajv);
      }
      fn = ajv.getSchema(`${SPEC_ID}#${pointer}`);
      if (!fn) throw new Error(`No schema at ${pointer} in openapi.yaml`);
      if (coerce) fn = decimalNumeralsOnly(fn, { $ref: `#${pointer}` }, document, true);
      cache.set(key, fn);
    }
    return fn;
  };
  return {
    text,
    document,
    auditor,
    requestValidator: (name) => compiled('request', `${SPEC_ID}#/components/schemas/${name}`),
    validator: (pointer) => compiled('response', `${SPEC_ID}#${pointer}`),
    propertyValidator,
  };
}

let shared: Contract | undefined;
/** The process-wide contract (immutable, so sharing it keeps sandboxes independent). */
export function sharedContract(): Contract {
  shared ??= loadContract();
  return shared;
}
