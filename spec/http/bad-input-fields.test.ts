/**
 * Hostile text fields over HTTP: the model, size and quality enums misspelt or in the wrong
 * case as the client sees them, a prompt whose bytes are not UTF-8 (busboy's decoding meets
 * validate), and the sandbox still serving afterwards. Every other field rule is a row of
 * spec/unit/edits/validate.test.ts; the values each model takes (its sizes listed in its
 * refusal included) are rows of spec/http/edits-models.test.ts.
 */
import request from 'supertest';
import { postEdit } from '../helpers/edit-request';
import { expectHealthyAndEditing } from '../helpers/expect-healthy';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const IRE = 'invalid_request_error';
const GPT = { model: 'gpt-image-1', quality: 'low' };

interface FieldCase {
  readonly field: string;
  readonly value: string;
  readonly fields: Record<string, string>;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** A fragment of the message the client reads. */
  readonly says: string;
}

const bad = (field: string, value: string, base: Record<string, string>, code: string, says: string): FieldCase => ({
  field,
  value: JSON.stringify(value),
  fields: { prompt: 'add a red rose', ...base, [field]: value },
  status: 400,
  type: IRE,
  param: field,
  code,
  says,
});

/** Each enum: a value no model knows, and a known value in the wrong case (the live API is case-sensitive). */
const ENUMS: ReadonlyArray<[field: string, wrong: string, wrongCase: string]> = [
  ['model', 'gpt-image-9', 'GPT-Image-1'],
  ['size', '640x480', '1024X1024'],
  ['quality', 'ultra', 'Low'],
];

const NOT_AN_INTEGER = 'expected an integer, but got a string value that could not be converted into an integer.';

const cases: FieldCase[] = [
  ...ENUMS.flatMap(([field, wrong, wrongCase]) => [
    bad(field, wrong, GPT, 'invalid_value', `Invalid value: '${wrong}'. Supported values are:`),
    bad(field, wrongCase, GPT, 'invalid_value', `Invalid value: '${wrongCase}'. Supported values are:`),
  ]),
  // Numbers in a form are decimal text, as the live (Python) API reads them: not what JavaScript's `+text` reads.
  ...['0x2', '0b11', '0o3', '2.', '.2e1'].map((value) => bad('n', value, GPT, 'invalid_type', NOT_AN_INTEGER)),
  // Characters, not UTF-16 units: 32001 emoji are 32001 long (and 16001 pass).
  { ...bad('prompt', '😀'.repeat(32001), GPT, 'string_above_max_length', 'but got a string with length 32001 instead.'), value: '32001 emoji' },
];

describe('hostile text fields', () => {
  const { app } = testApp();

  it.each(cases)('answers $field=$value with $status $code', async (c) => {
    const res = await postEdit(app, c.fields);
    expect(res.status).toBe(c.status);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type: c.type, param: c.param, code: c.code });
    expect(res.body.error.message).toContain(c.says);
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

  it('stays healthy and still edits after the whole table', async () => {
    const res = await expectHealthyAndEditing(app);
    expect(res.body.data).toHaveLength(1);
  });
});
