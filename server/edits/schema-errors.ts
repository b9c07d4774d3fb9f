/**
 * ajv's errors -> the live API's errors, as one request form sees them. Params name nested
 * values the way the live API does (`images[0].image_url`, `expires_after.seconds`), and
 * "but got X instead" describes the value as sent: multipart text that reads as a number is
 * "an integer", a JSON string is always "a string".
 */
import type { ErrorObject } from 'ajv';
import { isPlainNumeral } from '../contract/plain-numbers';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';

/** Stand-in for a file part in the data the schema sees (format: binary). */
export const FILE_PLACEHOLDER = '<file>';

export interface SchemaErrorContext {
  /** JSON values keep their types; multipart text is read as what it looks like. */
  readonly json: boolean;
  /** How "expected …" names each file field (`image`: "one of an array of files or file"). */
  readonly fileFields: Readonly<Record<string, string>>;
  /** The values a field supports when that depends on the model (the live error lists the model's own). */
  readonly supported?: (param: string) => readonly string[] | undefined;
}

/** ajv's `/images/0/image_url` -> `['images', '0', 'image_url']`. */
function segmentsOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `['images', '0', 'image_url']` -> `images[0].image_url`. */
export function paramOf(segments: readonly string[]): string {
  return segments.reduce((param, segment) => (/^\d+$/.test(segment) ? `${param}[${segment}]` : param ? `${param}.${segment}` : segment), '');
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let value = root;
  for (const segment of segments) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

/** A string's length as the live API (and ajv's maxLength) counts it: in characters (code points), not UTF-16 units. */
export function characterCount(text: string): number {
  // A string iterates by code point (a lone surrogate half is one), as ajv's ucs2length counts.
  let count = 0;
  for (const _character of text) count++;
  return count;
}

/** How the live API names the type of a received value in "but got X instead". */
export function describeValue(value: unknown, json: boolean): string {
  if (value === FILE_PLACEHOLDER && !json) return 'a file';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal number';
  if (typeof value === 'object') return 'an object';
  const text = String(value);
  if (!json && isPlainNumeral(text, 'integer')) return 'an integer';
  if (!json && isPlainNumeral(text, 'number')) return 'a decimal number';
  return 'a string';
}

function describeType(schemaType: unknown): string {
  // A nullable field's type is "integer,null": the live text names the non-null one.
  const type = String(schemaType).split(',').find((t) => t !== 'null');
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a string';
  }
}

/** An ImageRefParam's "exactly one of image_url or file_id" rule, whichever keyword ajv reports it by. */
function isRefChoice(error: ErrorObject): boolean {
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  return (error.keyword === 'required' && (missing === 'image_url' || missing === 'file_id') && error.schemaPath.includes('/anyOf/')) || (error.keyword === 'not' && error.schemaPath.includes('ImageRefParam'));
}

/**
 * The error to answer from ajv's list: an unknown key first (the live order), then a wrong
 * type (a non-object trivially "fails" an object's other rules), then the reference rule.
 */
export function pickSchemaError(list: readonly ErrorObject[]): ErrorObject | undefined {
  return list.find((error) => error.keyword === 'additionalProperties') ?? list.find((error) => error.keyword === 'type') ?? list.find(isRefChoice) ?? list[0];
}

/** The values an enum field takes, as its errors list them: the model's own where they depend on it, else the schema's. */
function choicesOf(param: string, allowed: readonly unknown[], context: SchemaErrorContext): readonly string[] {
  return context.supported?.(param) ?? allowed.filter((v) => v !== null).map(String);
}

/** The enum of the schema node a (verbose) ajv error was raised in, if it has one. */
function enumOf(error: ErrorObject): readonly unknown[] | undefined {
  const values = (error.parentSchema as { enum?: unknown } | undefined)?.enum;
  return Array.isArray(values) ? values : undefined;
}

/** One ajv error on `root` (the data as sent) -> the live API's error. */
export function fromSchemaError(error: ErrorObject, root: unknown, context: SchemaErrorContext): SandboxError {
  const segments = segmentsOf(error.instancePath);
  const param = paramOf(segments);
  const value = valueAt(root, segments);
  const params = error.params as Record<string, unknown>;
  const fileExpected = context.fileFields[param];
  if (isRefChoice(error)) {
    // A non-object "fails" the reference rule before its type is looked at: name the type.
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    return isObject ? errors.imageRefNeedsOne(param) : errors.invalidType(param, 'an object', describeValue(value, context.json));
  }
  switch (error.keyword) {
    case 'required':
      return errors.missingParameter(paramOf([...segments, String(params.missingProperty)]));
    case 'additionalProperties':
      return errors.unknownParameter(paramOf([...segments, String(params.additionalProperty)]));
    case 'enum':
      return errors.invalidValue(param, String(value), choicesOf(param, (params.allowedValues as unknown[]) ?? [], context));
    case 'const':
      return errors.invalidValue(param, String(value), [String(params.allowedValue)]);
    case 'minimum':
      return errors.integerBelowMinimum(param, Number(params.limit), Number(value));
    case 'maximum':
      return errors.integerAboveMaximum(param, Number(params.limit), Number(value));
    case 'minLength':
      return errors.stringTooShort(param, Number(params.limit), characterCount(String(value)));
    case 'maxLength':
      return errors.stringTooLong(param, Number(params.limit), characterCount(String(value)));
    case 'minItems':
      return Array.isArray(value) && value.length === 0 ? errors.emptyArray(param, Number(params.limit)) : errors.invalidType(param, 'an array', describeValue(value, context.json));
    case 'maxItems':
      return errors.arrayTooLong(param, Number(params.limit), Array.isArray(value) ? value.length : 0);
    case 'pattern':
      return errors.stringPattern(param, String(params.pattern));
    case 'type': {
      const expected = fileExpected ?? describeType(params.type);
      // Multipart text that is not a whole number: the live wording names the failed conversion.
      if (!context.json && expected === 'an integer' && typeof value === 'string') return errors.notAnInteger(param);
      // An enum field names the values it takes rather than their type (live: `quality: 1`).
      const allowed = enumOf(error);
      if (allowed && !fileExpected) return errors.invalidTypeOneOf(param, choicesOf(param, allowed, context), describeValue(value, context.json));
      return errors.invalidType(param, expected, describeValue(value, context.json));
    }
    default:
      // oneOf/anyOf/format on files and anything new in the schema: a type problem of the field.
      return errors.invalidType(param || 'body', fileExpected ?? describeType(undefined), describeValue(value, context.json));
  }
}
