/**
 * The JSON body form of POST /v1/images/edits: images by `image_url` (a data URL, or a URL
 * this sandbox served) or by `file_id`, with the live API's own validation texts; then the
 * same pipeline as multipart (same bytes for the same request).
 */
import request from 'supertest';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, fixture } from '../helpers/fixtures';
import { TEST_KEY, testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const IRE = 'invalid_request_error';
const IGUE = 'image_generation_user_error';
const PUBLIC = 'http://sandbox.test:4010';

const dataUrl = (name: string, type = 'image/png') => `data:${type};base64,${fixture(name).toString('base64')}`;
const SCENE = { image_url: dataUrl('scene-512.png') };
const BASE = { model: 'gpt-image-2', prompt: 'add a red rose', quality: 'low', size: '1024x1024' };

type App = ReturnType<typeof testApp>['app'];
const postJson = (app: App, body: unknown) => request(app).post(EDITS).set('Authorization', `Bearer ${TEST_KEY}`).send(body as object);

describe('JSON edits', () => {
  const { app } = testApp({ publicUrl: PUBLIC });

  it('edits an image given as a data URL, with usage and output_tokens_details', async () => {
    const res = await postJson(app, { ...BASE, images: [SCENE] });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    const image = decodePng(Buffer.from(res.body.data[0].b64_json, 'base64'));
    expect([image.width, image.height]).toEqual([1024, 1024]);
    expect(res.body.usage).toEqual({
      input_tokens: expect.any(Number),
      input_tokens_details: { image_tokens: 1024, text_tokens: expect.any(Number) },
      output_tokens: 196,
      output_tokens_details: { image_tokens: 196, text_tokens: 0 },
      total_tokens: expect.any(Number),
    });
  });

  it('gives the same image as the same edit sent as multipart: one pipeline, two parsers', async () => {
    const [json, multipart] = await Promise.all([postJson(app, { ...BASE, images: [SCENE] }), postEdit(app, BASE, [{ name: 'scene-512.png' }])]);
    expect([json.status, multipart.status]).toEqual([200, 200]);
    expect(json.body.data[0].b64_json).toBe(multipart.body.data[0].b64_json);
    expect(json.body.usage).toEqual(multipart.body.usage);
  });

  it('edits several images and a mask, the mask applied to the first image', async () => {
    const res = await postJson(app, { ...BASE, images: [SCENE, { image_url: dataUrl('scene-512.webp', 'image/webp') }], mask: { image_url: dataUrl('mask-512.png') } });
    expect(res.status).toBe(200);
    expect(res.body.usage.input_tokens_details.image_tokens).toBe(2048);
  });

  it('edits an image uploaded with POST /v1/files, by file_id and by its content URL', async () => {
    const uploaded = await request(app).post('/v1/files').set('Authorization', `Bearer ${TEST_KEY}`).field('purpose', 'vision').attach('file', fixture('scene-512.png'), { filename: 'scene.png', contentType: 'application/octet-stream' });
    expect(uploaded.status).toBe(200);
    const byId = await postJson(app, { ...BASE, images: [{ file_id: uploaded.body.id }] });
    const byUrl = await postJson(app, { ...BASE, images: [{ image_url: `${PUBLIC}/v1/files/${uploaded.body.id}/content` }] });
    expect([byId.status, byUrl.status]).toEqual([200, 200]);
    const direct = await postJson(app, { ...BASE, images: [SCENE] });
    expect(byId.body.data[0].b64_json).toBe(direct.body.data[0].b64_json);
    expect(byUrl.body.data[0].b64_json).toBe(direct.body.data[0].b64_json);
  });

  it('edits an earlier answer by its data[].url', async () => {
    const first = await postEdit(app, { model: 'dall-e-2', prompt: 'add a rose', size: '256x256' }, [{ name: 'scene-rgba-256.png' }]);
    const url = first.body.data[0].url as string;
    expect(url.startsWith(`${PUBLIC}/__sandbox/files/`)).toBe(true);
    const res = await postJson(app, { ...BASE, images: [{ image_url: url }] });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
  });

  it('refuses an earlier answer whose signed url has expired, as the files route does', async () => {
    const { app: shortLived } = testApp({ publicUrl: PUBLIC, urlTtlSeconds: 1 });
    const first = await postEdit(shortLived, { model: 'dall-e-2', prompt: 'add a rose', size: '256x256' }, [{ name: 'scene-rgba-256.png' }]);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const res = await postJson(shortLived, { ...BASE, images: [{ image_url: first.body.data[0].url as string }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ param: 'images[0].image_url', code: 'invalid_image_url', message: expect.stringMatching(/no longer exists/) });
  });

  it('records the loaded images and the form in the journal, with the data URL shortened', async () => {
    const { app: journaled, stores } = testApp();
    const res = await postJson(journaled, { ...BASE, images: [SCENE] });
    const entry = (await stores.state.journal.get('default', String(res.headers['x-request-id'])))!;
    expect(entry.body_form).toBe('json');
    expect(entry.files).toEqual([expect.objectContaining({ field: 'images', param: 'images[0]', content_type: 'image/png', format: 'png', width: 512, height: 512 })]);
    expect(JSON.stringify(entry.fields).length).toBeLessThan(600);
    expect((entry.fields.images as Array<{ image_url: string }>)[0]!.image_url).toMatch(/^data:image\/png;base64,.*characters\)$/);
  });

  it('gives a JSON edit without a model the GPT default under seed, and asks for one under openai', async () => {
    const { model: _model, ...unnamed } = BASE;
    const seeded = await postJson(app, { ...unnamed, size: '1024x1024', images: [SCENE] });
    expect(seeded.status).toBe(200);
    expect(seeded.body.usage.output_tokens).toBe(272);
    const { app: live } = testApp({ profile: 'openai' });
    const refused = await postJson(live, { ...unnamed, images: [SCENE] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({ message: "Missing required parameter: 'model'.", type: IRE, param: 'model', code: 'missing_required_parameter' });
  });

  it('accepts a prompt of spaces, as live', async () => {
    const res = await postJson(app, { ...BASE, prompt: '   ', images: [SCENE] });
    expect(res.status).toBe(200);
  });

  it('accepts a numeric user, as live (models-2026.md §9: user: 123 passes validation), and records it as sent', async () => {
    const { app: journaled, stores } = testApp();
    const res = await postJson(journaled, { ...BASE, user: 123, images: [SCENE] });
    expect(res.status).toBe(200);
    const entry = (await stores.state.journal.get('default', String(res.headers['x-request-id'])))!;
    expect(entry.fields.user).toBe(123);
  });

  it('treats null as not sent, except for model, prompt and images', async () => {
    const res = await postJson(app, { ...BASE, images: [SCENE], mask: null, n: null, quality: null, size: null, stream: null, partial_images: null, output_compression: null, moderation: null, background: null, output_format: null, input_fidelity: null });
    expect(res.status).toBe(200);
    expect(res.body.quality).toBe('high');
  });
});

interface JsonCase {
  readonly what: string;
  readonly body: Record<string, unknown>;
  readonly status?: number;
  readonly type?: string;
  readonly param: string | null;
  readonly code: string | null;
  readonly message?: string | RegExp;
}

const one = [SCENE];
const cases: JsonCase[] = [
  { what: 'no images', body: { ...BASE }, param: 'images', code: 'missing_required_parameter', message: "Missing required parameter: 'images'." },
  { what: 'images as an object', body: { ...BASE, images: {} }, param: 'images', code: 'invalid_type', message: "Invalid type for 'images': expected an array, but got an object instead." },
  { what: 'images of strings', body: { ...BASE, images: ['a.png'] }, param: 'images[0]', code: 'invalid_type', message: "Invalid type for 'images[0]': expected an object, but got a string instead." },
  { what: 'no image in images', body: { ...BASE, images: [] }, param: 'images', code: 'empty_array', message: "Invalid 'images': empty array. Expected an array with minimum length 1, but got an empty array instead." },
  { what: 'images null', body: { ...BASE, images: null }, param: 'images', code: 'invalid_type', message: "Invalid type for 'images': expected an array, but got null instead." },
  { what: '17 images', body: { ...BASE, images: Array.from({ length: 17 }, () => SCENE) }, param: 'images', code: 'array_above_max_length' },
  { what: 'a reference with both keys', body: { ...BASE, images: [{ image_url: SCENE.image_url, file_id: 'file-abc' }] }, param: 'images[0]', code: 'invalid_value', message: "Invalid 'images[0]': expected an object with exactly one of 'image_url' or 'file_id'." },
  { what: 'a reference with neither key', body: { ...BASE, images: [{}] }, param: 'images[0]', code: 'invalid_value' },
  { what: 'a reference with an unknown key', body: { ...BASE, images: [{ image_url: SCENE.image_url, detail: 'high' }] }, param: 'images[0].detail', code: 'unknown_parameter', message: "Unknown parameter: 'images[0].detail'." },
  { what: 'an image_url that is a number', body: { ...BASE, images: [{ image_url: 7 }] }, param: 'images[0].image_url', code: 'invalid_type', message: "Invalid type for 'images[0].image_url': expected a string, but got an integer instead." },
  { what: 'a mask that is a string', body: { ...BASE, images: one, mask: 'mask.png' }, param: 'mask', code: 'invalid_type' },
  { what: 'the multipart image field', body: { ...BASE, image: SCENE.image_url }, param: 'image', code: 'invalid_value', message: "Unknown parameter: 'image'. For application/json on /v1/images/edits, use 'images' (array)." },
  { what: 'the multipart image[] field', body: { ...BASE, 'image[]': [SCENE.image_url] }, param: 'image[]', code: 'invalid_value', message: "Unknown parameter: 'image[]'. For application/json on /v1/images/edits, use 'images' (array)." },
  { what: 'response_format', body: { ...BASE, images: one, response_format: 'url' }, param: 'response_format', code: 'unknown_parameter', message: "Unknown parameter: 'response_format'." },
  { what: 'an empty prompt', body: { ...BASE, images: one, prompt: '' }, param: 'prompt', code: 'empty_string' },
  { what: 'a null prompt', body: { ...BASE, images: one, prompt: null }, param: 'prompt', code: 'invalid_type', message: "Invalid type for 'prompt': expected a string, but got null instead." },
  { what: 'a numeric prompt', body: { ...BASE, images: one, prompt: 123 }, param: 'prompt', code: 'invalid_type', message: "Invalid type for 'prompt': expected a string, but got an integer instead." },
  { what: 'a null model', body: { ...BASE, images: one, model: null }, param: 'model', code: 'invalid_type', message: "Invalid type for 'model': expected a string, but got null instead." },
  { what: 'a numeric model', body: { ...BASE, images: one, model: 1.5 }, param: 'model', code: 'invalid_type', message: "Invalid type for 'model': expected a string, but got a decimal number instead." },
  { what: 'dall-e-2', body: { ...BASE, images: one, model: 'dall-e-2' }, param: 'model', code: 'invalid_value', message: "Invalid value: 'dall-e-2'. JSON edits support GPT image models only; send dall-e-2 edits as multipart/form-data." },
  { what: 'n as a string', body: { ...BASE, images: one, n: '2' }, param: 'n', code: 'invalid_type', message: "Invalid type for 'n': expected an integer, but got a string instead." },
  { what: 'n as a decimal', body: { ...BASE, images: one, n: 1.5 }, param: 'n', code: 'invalid_type', message: "Invalid type for 'n': expected an integer, but got a decimal number instead." },
  { what: 'n as a boolean', body: { ...BASE, images: one, n: true }, param: 'n', code: 'invalid_type', message: "Invalid type for 'n': expected an integer, but got a boolean instead." },
  { what: 'n of 11', body: { ...BASE, images: one, n: 11 }, param: 'n', code: 'integer_above_max_value', message: "Invalid 'n': integer above maximum value. Expected a value <= 10, but got 11 instead." },
  { what: 'quality ultra', body: { ...BASE, images: one, quality: 'ultra' }, param: 'quality', code: 'invalid_value', message: "Invalid value: 'ultra'. Supported values are: 'low', 'medium', 'high', and 'auto'." },
  { what: 'quality as a number', body: { ...BASE, images: one, quality: 1 }, param: 'quality', code: 'invalid_type', message: "Invalid type for 'quality': expected one of 'low', 'medium', 'high', or 'auto', but got an integer instead." },
  { what: 'size as a number', body: { ...BASE, images: one, size: 123 }, param: 'size', code: 'invalid_type', message: "Invalid type for 'size': expected a string, but got an integer instead." },
  { what: 'stream as a string', body: { ...BASE, images: one, stream: 'yes' }, param: 'stream', code: 'invalid_type', message: "Invalid type for 'stream': expected a boolean, but got a string instead." },
  { what: 'moderation bogus', body: { ...BASE, images: one, moderation: 'bogus' }, param: 'moderation', code: 'invalid_value', message: "Invalid value: 'bogus'. Supported values are: 'auto' and 'low'." },
  { what: 'output_format gif', body: { ...BASE, images: one, output_format: 'gif' }, param: 'output_format', code: 'invalid_value', message: "Invalid value: 'gif'. Supported values are: 'png', 'webp', and 'jpeg'." },
  { what: 'output_compression as a string', body: { ...BASE, images: one, output_compression: '50' }, param: 'output_compression', code: 'invalid_type' },
  { what: 'partial_images of 4', body: { ...BASE, images: one, partial_images: 4 }, param: 'partial_images', code: 'integer_above_max_value' },
  { what: 'a style field', body: { ...BASE, images: one, style: 'vivid' }, param: 'style', code: 'unknown_parameter', message: "Unknown parameter: 'style'." },
  // A computed key is an own property, sent as a JSON key like any other; it was once dropped on the way to the schema.
  { what: 'a __proto__ key', body: { ...BASE, images: one, ['__proto__']: { polluted: 1 } }, param: '__proto__', code: 'unknown_parameter', message: "Unknown parameter: '__proto__'." },
  {
    what: 'a URL on another host (never fetched)',
    body: { ...BASE, images: [{ image_url: 'https://example.com/a.png' }] },
    param: 'images[0].image_url',
    code: 'invalid_image_url',
    message: "Invalid 'images[0].image_url': the sandbox does not fetch images from other hosts ('https://example.com/a.png'). Send a base64 data URL, a 'file_id' from POST /v1/files, or a URL this sandbox served.",
  },
  { what: "a URL on this sandbox's origin that it did not serve", body: { ...BASE, images: [{ image_url: `${PUBLIC}/v1/images/edits` }] }, param: 'images[0].image_url', code: 'invalid_image_url' },
  { what: 'a url file without the sandbox signature', body: { ...BASE, images: [{ image_url: `${PUBLIC}/__sandbox/files/img-gone.png` }] }, param: 'images[0].image_url', code: 'invalid_image_url', message: /does not carry this sandbox's signature/ },
  {
    what: 'a url file whose signature was tampered with',
    body: { ...BASE, images: [{ image_url: `${PUBLIC}/__sandbox/files/img-gone.png?expires=9999999999&signature=${'A'.repeat(43)}` }] },
    param: 'images[0].image_url',
    code: 'invalid_image_url',
  },
  { what: 'a relative URL', body: { ...BASE, images: [{ image_url: 'a.png' }] }, param: 'images[0].image_url', code: 'invalid_image_url' },
  { what: 'a data URL that is not base64', body: { ...BASE, images: [{ image_url: 'data:image/png,hello' }] }, param: 'images[0].image_url', code: 'invalid_image_url' },
  { what: 'a data URL with broken base64', body: { ...BASE, images: [{ image_url: 'data:image/png;base64,%%%%' }] }, param: 'images[0].image_url', code: 'invalid_image_url' },
  {
    what: 'a GIF data URL',
    body: { ...BASE, images: [{ image_url: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' }] },
    param: 'images[0]',
    code: 'unsupported_file_mimetype',
    message: "Invalid file 'images[0]': unsupported mimetype ('image/gif'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
  },
  {
    what: 'a data URL whose bytes are not an image',
    body: { ...BASE, images: [SCENE, { image_url: 'data:image/png;base64,aGVsbG8=' }] },
    type: IGUE,
    param: null,
    code: 'invalid_image_file',
    message: /^Invalid image file or mode for image 2, please check your image file\. If you believe this is an error, contact us at help\.openai\.com and include the request ID req_[0-9a-f]{32}\.$/,
  },
  { what: 'an unknown file_id', body: { ...BASE, images: [{ file_id: 'file-nope' }] }, param: 'images[0].file_id', code: null, message: 'No such File object: file-nope' },
  { what: 'a mask that is not a PNG', body: { ...BASE, images: one, mask: { image_url: dataUrl('scene-512.jpg', 'image/jpeg') } }, param: 'mask', code: 'unsupported_file_mimetype' },
  // The live order: model, unknown keys, prompt, images, n, the rest.
  { what: 'an unknown key and a bad prompt', body: { ...BASE, images: one, prompt: '', foo: 1 }, param: 'foo', code: 'unknown_parameter' },
  { what: 'a bad prompt and bad images', body: { ...BASE, images: [], prompt: '' }, param: 'prompt', code: 'empty_string' },
  { what: 'bad images and a bad n', body: { ...BASE, images: {}, n: 0 }, param: 'images', code: 'invalid_type' },
  { what: 'a bad n and a bad quality', body: { ...BASE, images: one, n: 0, quality: 'ultra' }, param: 'n', code: 'integer_below_min_value' },
  { what: 'a bad quality and a bad output_compression', body: { ...BASE, images: one, quality: 'ultra', output_compression: 101 }, param: 'quality', code: 'invalid_value' },
  { what: 'a bad output_compression and a bad size', body: { ...BASE, images: one, output_compression: 101, size: '1000x1000' }, param: 'output_compression', code: 'integer_above_max_value' },
];

describe('JSON edits answer what the live API answers', () => {
  const { app } = testApp({ publicUrl: PUBLIC });

  it.each(cases)('$what -> $code on $param', async ({ body, status = 400, type = IRE, param, code, message }) => {
    const res = await postJson(app, body);
    expect(res.status).toBe(status);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type, param, code });
    if (typeof message === 'string') expect(res.body.error.message).toBe(message);
    else if (message) expect(res.body.error.message).toMatch(message);
  });
});
