/**
 * validate: a ParsedForm checked field by field against openapi.yaml's request schema, then
 * against the model's row of the rules table. The first problem in the live API's order is
 * the answer, in the live API's words. Which models, sizes, qualities and features each model
 * takes, under each profile and API date, is the rules table's (spec/unit/models/ and
 * spec/http/edits-models.test.ts); which model a request asks for is choose-model's
 * (spec/unit/models/choose-model.test.ts); the JSON body form end to end is edits-json's.
 */
import { defaultConfig, type SandboxConfig } from '../../../server/config';
import { sharedContract } from '../../../server/contract/spec';
import type { ParsedForm, UploadedFile } from '../../../server/edits/types';
import { chooseModel, validateForm } from '../../../server/edits/validate';
import { refusalOf } from '../../helpers/refusal';
import { imageArray, jsonForm, parsedForm, upload } from '../../helpers/step-inputs';

const IRE = 'invalid_request_error';
const GPT = { model: 'gpt-image-1', prompt: 'add a red rose' };
const DALLE = { model: 'dall-e-2', prompt: 'add a red rose' };
const config = defaultConfig();

/** validateForm with the model chooseModel picks, as the route calls it. */
function validate(form: ParsedForm, settings: SandboxConfig = config) {
  return validateForm(form, chooseModel(form, settings), sharedContract(), settings);
}

interface BadField {
  readonly field: string;
  /** The value sent, as the title shows it. */
  readonly value: string;
  readonly form: ParsedForm;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string;
  /** The exact text, or a fragment of it (expect.stringContaining) where only part matters. */
  readonly message?: string | ReturnType<typeof expect.stringContaining>;
}

/** One field of a valid request replaced by `value` (multipart sends text). */
function bad(base: Record<string, unknown>, field: string, value: unknown, code: string, message?: BadField['message'], param: string | null = field, images?: UploadedFile[]): BadField {
  const text = value === undefined ? '(not sent)' : typeof value === 'string' && value.length > 40 ? `${value.slice(0, 12)}… (${Array.from(value).length} chars)` : JSON.stringify(value);
  return { field, value: text, form: parsedForm({ ...base, [field]: value }, images ? { images } : {}), status: 400, type: IRE, param, code, ...(message ? { message } : {}) };
}

/** A request whose files, not its text fields, are wrong. */
function badFiles(base: Record<string, unknown>, field: string, value: string, parts: Partial<Omit<ParsedForm, 'fields'>>, code: string, message?: BadField['message'], param = field): BadField {
  return { field, value, form: parsedForm(base, parts), status: 400, type: IRE, param, code, ...(message ? { message } : {}) };
}

const RGBA = [upload('scene-rgba-256.png')];
const MULTIPART_IMAGES = "Unknown parameter: 'images'. For multipart/form-data use 'image' or 'image[]'.";
const says = (fragment: string) => expect.stringContaining(fragment);

/** The schema: required fields, types, ranges, enums, unknown fields. */
const schemaCases: BadField[] = [
  bad({ model: 'gpt-image-1' }, 'prompt', undefined, 'missing_required_parameter', "Missing required parameter: 'prompt'."),
  badFiles(GPT, 'image', 'no file', { images: [] }, 'missing_required_parameter', "Missing required parameter: 'image'."),
  bad(GPT, 'prompt', '', 'empty_string', "Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an empty string instead."),
  bad(GPT, 'prompt', ' \t\n ', 'invalid_value', says("Invalid 'prompt'")),
  bad(GPT, 'n', '0', 'integer_below_min_value', "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead."),
  bad(GPT, 'n', '-1', 'integer_below_min_value', says('Expected a value >= 1, but got -1 instead.')),
  bad(GPT, 'n', '11', 'integer_above_max_value', says('Expected a value <= 10, but got 11 instead.')),
  bad(GPT, 'n', '99999999999', 'integer_above_max_value', says('Expected a value <= 10, but got 99999999999 instead.')),
  bad(GPT, 'n', '1.5', 'invalid_type', "Invalid type for 'n': expected an integer, but got a string value that could not be converted into an integer."),
  bad(GPT, 'n', 'abc', 'invalid_type', "Invalid type for 'n': expected an integer, but got a string value that could not be converted into an integer."),
  bad(GPT, 'n', '', 'invalid_type', says("Invalid type for 'n'")),
  // JavaScript reads these as numbers (ajv's coercion is `+text`); Python's int() does not.
  ...['0x2', '0b11', '0o3', '2.', '.2e1', '1e3', 'Infinity', '0x0'].map((value) =>
    bad(GPT, 'n', value, 'invalid_type', "Invalid type for 'n': expected an integer, but got a string value that could not be converted into an integer."),
  ),
  bad(GPT, 'output_compression', '0x32', 'invalid_type', says("Invalid type for 'output_compression': expected an integer")),
  bad(GPT, 'partial_images', '0b1', 'invalid_type', says("Invalid type for 'partial_images': expected an integer")),
  bad(GPT, 'output_compression', '101', 'integer_above_max_value', says('Expected a value <= 100')),
  bad(GPT, 'output_compression', '-1', 'integer_below_min_value', says('Expected a value >= 0, but got -1 instead.')),
  bad(GPT, 'output_compression', '-5', 'integer_below_min_value', says('Expected a value >= 0, but got -5 instead.')),
  bad(GPT, 'partial_images', '4', 'integer_above_max_value', says('Expected a value <= 3')),
  bad(GPT, 'stream', 'yes', 'invalid_type', "Invalid type for 'stream': expected a boolean, but got a string instead."),
  bad(GPT, 'stream', 'maybe', 'invalid_type', "Invalid type for 'stream': expected a boolean, but got a string instead."),
  bad(GPT, 'stream', '1.5', 'invalid_type', says("Invalid type for 'stream': expected a boolean")),
  // Each enum: a value no model knows, and a known value in the wrong case (the live API is case-sensitive).
  ...(
    [
      ['background', 'green', 'Transparent'],
      ['output_format', 'gif', 'PNG'],
      ['input_fidelity', 'medium', 'High'],
    ] as const
  ).flatMap(([field, wrong, wrongCase]) => [wrong, wrongCase].map((value) => bad(GPT, field, value, 'invalid_value', says(`Invalid value: '${value}'. Supported values are:`)))),
  ...['binary', 'URL'].map((value) => bad({ ...DALLE, size: '256x256' }, 'response_format', value, 'invalid_value', says(`Invalid value: '${value}'. Supported values are:`), 'response_format', RGBA)),
  bad(GPT, 'style', 'vivid', 'unknown_parameter', "Unknown parameter: 'style'."),
  // multer makes a repeated text field an array.
  bad(GPT, 'prompt', ['add a red rose', 'again'], 'invalid_type', "Invalid type for 'prompt': expected a string, but got an array instead."),
  bad(GPT, 'model', ['gpt-image-1', 'dall-e-2'], 'invalid_type', "Invalid type for 'model': expected a string, but got an array instead."),
  bad(GPT, 'n', ['1', '2'], 'invalid_type', "Invalid type for 'n': expected an integer, but got an array instead."),
];

/** JSON values of another type in an enum field: the live text lists the values the field takes (the model's own qualities). */
const enumTypeCases: BadField[] = (
  [
    ['gpt-image-1', 'quality', 1, "Invalid type for 'quality': expected one of 'low', 'medium', 'high', or 'auto', but got an integer instead."],
    ['gpt-image-1', 'quality', true, "Invalid type for 'quality': expected one of 'low', 'medium', 'high', or 'auto', but got a boolean instead."],
    ['gpt-image-1', 'quality', {}, "Invalid type for 'quality': expected one of 'low', 'medium', 'high', or 'auto', but got an object instead."],
    ['gpt-image-2.5-flare', 'quality', 1, "Invalid type for 'quality': expected one of 'low', 'medium', 'high', 'xhigh', 'max', or 'auto', but got an integer instead."],
    ['gpt-image-1', 'moderation', 1, "Invalid type for 'moderation': expected one of 'auto' or 'low', but got an integer instead."],
    ['gpt-image-1', 'background', false, "Invalid type for 'background': expected one of 'transparent', 'opaque', or 'auto', but got a boolean instead."],
    ['gpt-image-1', 'output_format', ['png'], "Invalid type for 'output_format': expected one of 'png', 'webp', or 'jpeg', but got an array instead."],
  ] as const
).map(([model, field, value, message]) => ({
  ...bad(GPT, field, value, 'invalid_type', message),
  value: `${JSON.stringify(value)} in a JSON body to ${model}`,
  form: jsonForm({ model, prompt: 'add a red rose', images: [{ file_id: 'file-1' }], [field]: value }),
}));
// The same field sent twice in a form is an array: the same type error, the same text.
enumTypeCases.push(bad(GPT, 'quality', ['low', 'high'], 'invalid_type', "Invalid type for 'quality': expected one of 'low', 'medium', 'high', or 'auto', but got an array instead."));

/** Files in the wrong place: text where a file belongs, a file where text belongs. */
const placementCases: BadField[] = [
  badFiles({ ...GPT, image: 'not a file' }, 'image', 'text', { images: [] }, 'invalid_type', "Invalid type for 'image': expected one of an array of files or file, but got a string instead."),
  badFiles({ ...GPT, mask: 'not a file' }, 'mask', 'text', {}, 'invalid_type', "Invalid type for 'mask': expected a file, but got a string instead."),
  badFiles(GPT, 'mask', 'two files', { masks: [upload('mask-512.png', { field: 'mask' }), upload('mask-512.png', { field: 'mask' })] }, 'invalid_type', "Invalid type for 'mask': expected a file, but got an array instead."),
  badFiles(GPT, 'prompt', 'a file', { otherFiles: [upload('scene-512.png', { field: 'prompt' })] }, 'invalid_type', "Invalid type for 'prompt': expected a string, but got a file instead."),
  badFiles(GPT, 'thumbnail', 'a file', { otherFiles: [upload('scene-512.png', { field: 'thumbnail' })] }, 'unknown_parameter', "Unknown parameter: 'thumbnail'."),
  // The JSON body form's images field, sent in a multipart form: the live hint names the multipart fields.
  badFiles(GPT, 'images', 'a file', { otherFiles: [upload('scene-512.png', { field: 'images' })] }, 'invalid_value', MULTIPART_IMAGES),
  badFiles({ ...GPT, images: 'a.png' }, 'images', 'text', {}, 'invalid_value', MULTIPART_IMAGES),
];

/** The model's row: image count and prompt length; fields that do not go together. (Which features each model takes is edits-models'.) */
const modelRuleCases: BadField[] = [
  badFiles(DALLE, 'image', 'one file as image[]', { images: imageArray(['scene-rgba-256.png']) }, 'invalid_type', "Invalid type for 'image': expected a file, but got an array instead."),
  badFiles(DALLE, 'image', 'two files', { images: [...RGBA, ...RGBA], imageIsArray: true }, 'invalid_type'),
  badFiles(GPT, 'image', '17 files', { images: imageArray(Array(17).fill('scene-256.png')) }, 'array_above_max_length', says('Expected an array with maximum length 16, but got an array with length 17 instead.')),
  ...['2', '3'].map((n) => bad({ ...GPT, stream: 'true' }, 'n', n, 'invalid_value', 'Streaming is only supported with n=1.')),
  bad({ ...GPT, output_format: 'jpeg' }, 'background', 'transparent', 'invalid_value', 'Transparent background is not supported for JPEG output format'),
  bad({ ...DALLE, size: '256x256' }, 'prompt', 'a'.repeat(1001), 'string_above_max_length', "Invalid 'prompt': string too long. Expected a string with maximum length 1000, but got a string with length 1001 instead.", 'prompt', RGBA),
  bad(GPT, 'prompt', 'a'.repeat(32001), 'string_above_max_length', says('maximum length 32000, but got a string with length 32001')),
  // The live API counts characters (code points), not UTF-16 units: an emoji is one.
  bad(GPT, 'prompt', '😀'.repeat(32001), 'string_above_max_length', says('maximum length 32000, but got a string with length 32001 instead.')),
  bad({ ...DALLE, size: '256x256' }, 'prompt', '😀'.repeat(1001), 'string_above_max_length', says('maximum length 1000, but got a string with length 1001 instead.'), 'prompt', RGBA),
  {
    ...bad(GPT, 'prompt', '😀'.repeat(32001), 'string_above_max_length', says('maximum length 32000, but got a string with length 32001 instead.')),
    value: '32001 emoji in a JSON body',
    form: jsonForm({ ...GPT, prompt: '😀'.repeat(32001), images: [{ file_id: 'file-1' }] }),
  },
  bad(GPT, 'prompt', 'add a\u0000rose', 'invalid_value', says('NUL characters')),
  // Busboy decodes bytes that are not UTF-8 as U+FFFD (spec/http/bad-input-fields.test.ts sends such bytes).
  bad(GPT, 'prompt', 'add \uFFFD(rose', 'invalid_value', says('not valid UTF-8')),
];

/** Several problems in one request: the answer is the first in the live order (unknown fields, prompt, images, n, quality, …, stream). */
const orderCases: BadField[] = [
  { ...bad({ ...GPT, n: 'abc' }, 'style', 'vivid', 'unknown_parameter', "Unknown parameter: 'style'."), value: '"vivid" and n="abc"' },
  { ...bad({ ...GPT, n: 'abc' }, 'prompt', '', 'empty_string', says("Invalid 'prompt': empty string")), value: '"" and n="abc"' },
  { ...badFiles({ ...GPT, n: 'abc' }, 'image', 'no file and n="abc"', { images: [] }, 'missing_required_parameter', "Missing required parameter: 'image'.") },
  { ...bad({ ...GPT, size: '999x999' }, 'n', 'abc', 'invalid_type', says("Invalid type for 'n'")), value: '"abc" and size="999x999"' },
  // The live API checks quality before stream: dall-e-2 with a GPT quality and stream=true names the quality.
  {
    ...bad({ ...DALLE, quality: 'low', size: '256x256' }, 'stream', 'true', 'invalid_value', "Invalid value: 'low'. Supported values are: 'standard' and 'auto'.", 'quality', RGBA),
    field: 'quality',
    value: '"low" and stream="true" on dall-e-2',
  },
];

describe('validateForm refuses what the live API refuses', () => {
  it.each([...schemaCases, ...enumTypeCases, ...placementCases, ...modelRuleCases, ...orderCases])('answers $field=$value with $status $code', async ({ form, status, type, param, code, message }) => {
    expect(await refusalOf(() => validate(form))).toEqual({ status, type, param, code, message: message ?? expect.any(String) });
  });
});

describe('validateForm accepts', () => {
  it.each([
    ['a 1000-character prompt on dall-e-2', parsedForm({ ...DALLE, prompt: 'a'.repeat(1000) }, { images: RGBA })],
    ['a 32000-character prompt on gpt-image-1', parsedForm({ ...GPT, prompt: 'a'.repeat(32000) })],
    ['32000 emoji (64000 UTF-16 units) on gpt-image-1', parsedForm({ ...GPT, prompt: '😀'.repeat(32000) })],
    ['1000 emoji on dall-e-2', parsedForm({ ...DALLE, prompt: '😀'.repeat(1000) }, { images: RGBA })],
    ['32000 emoji in a JSON body', jsonForm({ ...GPT, prompt: '😀'.repeat(32000), images: [{ file_id: 'file-1' }] })],
    ['16 images on gpt-image-1', parsedForm(GPT, { images: imageArray(Array(16).fill('scene-256.png')) })],
  ])('%s', (_what, form) => {
    expect(validate(form).fields.prompt).toBe(form.fields.prompt);
  });

  it.each([
    [' 2 ', 2],
    ['+2', 2],
    ['02', 2],
    ['2.0', 2],
  ])('n=%j as the integer %d, as Python reads it (surrounding whitespace stripped, a zero fraction dropped)', (text, n) => {
    expect(validate(parsedForm({ ...GPT, n: text })).fields.n).toBe(n);
  });

  it('a JSON user given as an integer, as live (models-2026.md §9), and still refuses one of another type', async () => {
    const form = (user: unknown) => jsonForm({ ...GPT, user, images: [{ file_id: 'file-1' }] });
    expect(validate(form(123)).fields.user).toBe(123);
    expect(await refusalOf(() => validate(form(true)))).toMatchObject({ param: 'user', code: 'invalid_type', message: "Invalid type for 'user': expected a string, but got a boolean instead." });
  });

  it('types the text fields from the schema and keeps output_compression with png, as the seed example sends it', () => {
    const form = parsedForm({ ...GPT, n: '2', stream: 'false', output_format: 'png', output_compression: '50' }, { masks: [upload('mask-512.png', { field: 'mask' })] });
    const validated = validate(form);
    expect(validated.fields).toEqual({ ...GPT, n: 2, stream: false, output_format: 'png', output_compression: 50 });
    expect(validated.rules.id).toBe('gpt-image-1');
    expect(validated.mask).toBe(form.masks[0]);
    expect(validated.images).toBe(form.images);
  });
});

describe('chooseModel', () => {
  // Which model the counted request gets is models/choose-model.ts's (spec/unit/models/choose-model.test.ts).
  it.each([
    ['two multipart image parts', parsedForm({ prompt: 'x' }, { images: imageArray(['scene-256.png', 'scene-256.png']) }), 'gpt-image-1'],
    ['one multipart image part', parsedForm({ prompt: 'x' }, { images: [upload('scene-256.png')] }), 'dall-e-2'],
    ['a JSON body (GPT image models only)', jsonForm({ prompt: 'x', images: [{ file_id: 'file-1' }] }), 'gpt-image-1'],
  ])('counts %s as the request\'s images', (_what, form, model) => {
    expect(chooseModel(form, config)).toBe(model);
  });
});
