/**
 * schema-errors: one ajv error -> the live API's error, as one body form sees it: params named
 * the live way, and "but got X instead" describing the value as it was sent.
 */
import { characterCount, describeValue, FILE_PLACEHOLDER, fromSchemaError, paramOf, type SchemaErrorContext } from '../../../server/edits/schema-errors';

const IRE = 'invalid_request_error';
const MULTIPART: SchemaErrorContext = { json: false, fileFields: { image: 'one of an array of files or file', mask: 'a file' } };
const JSON_BODY: SchemaErrorContext = { json: true, fileFields: {} };

describe('fromSchemaError', () => {
  it('turns a keyword the catalogue has no text for into a type error of the field', () => {
    const error = fromSchemaError({ keyword: 'oneOf', instancePath: '/image', schemaPath: '#', params: {} }, { image: 'x' }, MULTIPART);
    expect(error.toBody().error).toEqual({ message: "Invalid type for 'image': expected one of an array of files or file, but got a string instead.", type: IRE, param: 'image', code: 'invalid_type' });
  });

  it('names the body when the error is about no field', () => {
    expect(fromSchemaError({ keyword: 'format', instancePath: '', schemaPath: '#', params: {} }, {}, MULTIPART).param).toBe('body');
  });

  it.each([
    ['multipart text that is no integer', MULTIPART, 'abc', "Invalid type for 'n': expected an integer, but got a string value that could not be converted into an integer."],
    ['a JSON string', JSON_BODY, 'abc', "Invalid type for 'n': expected an integer, but got a string instead."],
    ['a JSON decimal', JSON_BODY, 1.5, "Invalid type for 'n': expected an integer, but got a decimal number instead."],
  ])('words a wrong type for an integer field sent as %s in the live way', (_what, context, value, message) => {
    const error = fromSchemaError({ keyword: 'type', instancePath: '/n', schemaPath: '#', params: { type: 'integer' } }, { n: value }, context);
    expect(error.toBody().error).toEqual({ message, type: IRE, param: 'n', code: 'invalid_type' });
  });
});

describe('fromSchemaError on an enum field sent as another JSON type', () => {
  const quality = { type: ['string', 'null'], enum: ['low', 'medium', 'high', 'auto', null] };
  const typeError = (value: unknown, parentSchema: Record<string, unknown>) => ({ keyword: 'type', instancePath: '/quality', schemaPath: '#/type', params: { type: 'string,null' }, parentSchema, data: value });

  it.each([
    [1, 'an integer'],
    [true, 'a boolean'],
    [{}, 'an object'],
  ])('names the values it takes, as live (%j)', (value, got) => {
    const error = fromSchemaError(typeError(value, quality), { quality: value }, JSON_BODY);
    expect(error.toBody().error).toEqual({ message: `Invalid type for 'quality': expected one of 'low', 'medium', 'high', or 'auto', but got ${got} instead.`, type: IRE, param: 'quality', code: 'invalid_type' });
  });

  it("lists the model's own values where they depend on the model", () => {
    const context: SchemaErrorContext = { ...JSON_BODY, supported: (param) => (param === 'quality' ? ['low', 'medium', 'high', 'xhigh', 'max', 'auto'] : undefined) };
    expect(fromSchemaError(typeError(1, quality), { quality: 1 }, context).message).toBe("Invalid type for 'quality': expected one of 'low', 'medium', 'high', 'xhigh', 'max', or 'auto', but got an integer instead.");
  });

  it('says "a string" where the field takes any string', () => {
    expect(fromSchemaError(typeError(1, { type: 'string' }), { quality: 1 }, JSON_BODY).message).toBe("Invalid type for 'quality': expected a string, but got an integer instead.");
  });
});

describe('paramOf', () => {
  it.each([
    [['prompt'], 'prompt'],
    [['images', '0', 'image_url'], 'images[0].image_url'],
    [['expires_after', 'seconds'], 'expires_after.seconds'],
  ])('names %j %s', (segments, param) => {
    expect(paramOf(segments)).toBe(param);
  });
});

describe('describeValue', () => {
  it.each([
    ['12', false, 'an integer'],
    ['1.5', false, 'a decimal number'],
    ['abc', false, 'a string'],
    ['0x2', false, 'a string'],
    ['Infinity', false, 'a string'],
    ['.2e1', false, 'a decimal number'],
    [' ', false, 'a string'],
    [FILE_PLACEHOLDER, false, 'a file'],
    ['12', true, 'a string'],
    [12, true, 'an integer'],
    [1.5, true, 'a decimal number'],
    [true, true, 'a boolean'],
    [null, true, 'null'],
    [['a'], true, 'an array'],
    [{ a: 1 }, true, 'an object'],
  ])('describes %j (JSON %s) as %s', (value, json, description) => {
    expect(describeValue(value, json)).toBe(description);
  });
});

describe('characterCount', () => {
  it.each([
    ['', 0],
    ['rose', 4],
    ['玫瑰', 2],
    ['😀', 1],
    ['😀'.repeat(3), 3],
    ['a😀b', 3],
    // A lone surrogate is one character, as ajv's ucs2length counts it.
    ['\uD83D', 1],
    ['\uD83Da', 2],
    ['\uDE00\uD83D', 2],
  ])('counts %j as %d characters', (text, count) => {
    expect(characterCount(text)).toBe(count);
  });
});
