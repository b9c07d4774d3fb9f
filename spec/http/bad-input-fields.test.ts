/**
 * Hostile text fields: every one gets the live API's kind of 400 with the field as `param`,
 * and the sandbox keeps serving afterwards.
 */
import request from 'supertest';
import { postEdit, type EditFile } from '../helpers/edit-request';
import { expectHealthyAndEditing } from '../helpers/expect-healthy';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const IRE = 'invalid_request_error';
const GPT = { model: 'gpt-image-1', quality: 'low' };
const DALLE = { model: 'dall-e-2', size: '256x256' };
const RGBA: EditFile[] = [{ name: 'scene-rgba-256.png' }];

interface FieldCase {
  readonly field: string;
  readonly value: string;
  readonly fields: Record<string, string>;
  readonly files?: EditFile[];
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** A fragment of the message the client reads. */
  readonly says: string;
}

const bad = (field: string, value: string, base: Record<string, string>, code: string, says: string, param = field, files?: EditFile[]): FieldCase => ({
  field,
  value: value.length > 40 ? `${value.slice(0, 12)}… (${value.length} chars)` : JSON.stringify(value),
  fields: { prompt: 'add a red rose', ...base, [field]: value },
  ...(files ? { files } : {}),
  status: 400,
  type: IRE,
  param,
  code,
  says,
});

/** Each enum: a value no model knows, and a known value in the wrong case (the live API is case-sensitive). */
const ENUMS: ReadonlyArray<[field: string, wrong: string, wrongCase: string]> = [
  ['model', 'gpt-image-9', 'GPT-Image-1'],
  ['size', '640x480', '1024X1024'],
  ['quality', 'ultra', 'Low'],
  ['background', 'green', 'Transparent'],
  ['output_format', 'gif', 'PNG'],
  ['input_fidelity', 'medium', 'High'],
  ['response_format', 'binary', 'URL'],
];

const cases: FieldCase[] = [
  bad('prompt', '', GPT, 'empty_string', "Invalid 'prompt': empty string"),
  bad('prompt', ' \t\n ', GPT, 'invalid_value', "Invalid 'prompt'"),
  bad('prompt', 'a'.repeat(1001), DALLE, 'string_above_max_length', 'maximum length 1000, but got a string with length 1001', 'prompt', RGBA),
  bad('prompt', 'a'.repeat(32001), GPT, 'string_above_max_length', 'maximum length 32000, but got a string with length 32001'),
  bad('prompt', 'add a\u0000rose', GPT, 'invalid_value', 'NUL characters'),
  bad('n', '0', GPT, 'integer_below_min_value', 'Expected a value >= 1, but got 0 instead.'),
  bad('n', '-1', GPT, 'integer_below_min_value', 'Expected a value >= 1, but got -1 instead.'),
  bad('n', '1.5', GPT, 'invalid_type', "Invalid type for 'n': expected an integer, but got a string value that could not be converted into an integer."),
  bad('n', '1e3', GPT, 'integer_above_max_value', 'Expected a value <= 10, but got 1000 instead.'),
  bad('n', 'abc', GPT, 'invalid_type', "Invalid type for 'n': expected an integer, but got a string value that could not be converted into an integer."),
  bad('n', '', GPT, 'invalid_type', "Invalid type for 'n'"),
  bad('output_compression', '101', GPT, 'integer_above_max_value', 'Expected a value <= 100'),
  bad('output_compression', '-5', GPT, 'integer_below_min_value', 'Expected a value >= 0'),
  bad('partial_images', '4', GPT, 'integer_above_max_value', 'Expected a value <= 3'),
  bad('stream', 'yes', GPT, 'invalid_type', "Invalid type for 'stream': expected a boolean, but got a string instead."),
  bad('stream', '1.5', GPT, 'invalid_type', "Invalid type for 'stream': expected a boolean"),
  ...ENUMS.flatMap(([field, wrong, wrongCase]) => [
    bad(field, wrong, field === 'response_format' ? DALLE : GPT, 'invalid_value', `Invalid value: '${wrong}'. Supported values are:`, field, field === 'response_format' ? RGBA : undefined),
    bad(field, wrongCase, field === 'response_format' ? DALLE : GPT, 'invalid_value', `Invalid value: '${wrongCase}'. Supported values are:`, field, field === 'response_format' ? RGBA : undefined),
  ]),
];

describe('hostile text fields', () => {
  const { app } = testApp();

  it.each(cases)('answers $field=$value with $status $code', async (c) => {
    const res = await postEdit(app, c.fields, c.files);
    expect(res.status).toBe(c.status);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type: c.type, param: c.param, code: c.code });
    expect(res.body.error.message).toContain(c.says);
  });

  it('lists the model\'s own sizes when a size is wrong', async () => {
    const res = await postEdit(app, { ...GPT, prompt: 'x', size: '512x512' });
    expectToMatchSpec(res, EDITS);
    expect(res.body.error.message).toBe("Invalid value: '512x512'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.");
  });

  it('rejects a prompt whose bytes are not valid UTF-8, naming the prompt', async () => {
    const boundary = 'sandbox-bad-utf8';
    const part = (name: string, value: Buffer | string, file?: { filename: string; type: string }) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file.filename}"\r\nContent-Type: ${file.type}` : ''}\r\n\r\n`,
        ),
        Buffer.isBuffer(value) ? value : Buffer.from(value),
        Buffer.from('\r\n'),
      ]);
    const body = Buffer.concat([
      part('model', 'gpt-image-1'),
      part('prompt', Buffer.from([0x61, 0x64, 0x64, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0x72, 0x6f, 0x73, 0x65])),
      part('image', fixture('scene-512.png'), { filename: 'scene.png', type: 'image/png' }),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const res = await request(app)
      .post(EDITS)
      .set('Authorization', `Bearer ${TEST_KEY}`)
      .set('content-type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(res.status).toBe(400);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type: IRE, param: 'prompt', code: 'invalid_value' });
    expect(res.body.error.message).toContain('not valid UTF-8');
  });

  it('accepts output_compression with png, as the seed example sends it', async () => {
    const res = await postEdit(app, { ...GPT, prompt: 'add a red rose', output_format: 'png', output_compression: '50' });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body.output_format).toBe('png');
  });

  it('stays healthy and still edits after the whole table', async () => {
    const res = await expectHealthyAndEditing(app);
    expect(res.body.data).toHaveLength(1);
  });
});
