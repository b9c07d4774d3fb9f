/**
 * Successful edits over HTTP: a request goes through every step and comes back with the body,
 * headers and bytes the live API sends (images decoded with pngjs). How each step decides is
 * its own unit test's, under spec/unit/edits/.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { postEdit, type EditFile } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, sniffFormat } from '../helpers/fixtures';
import { SEED_EXAMPLE_FIELDS } from '../helpers/seed-example';
import { TEST_NOW, testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
type Body = { data: Array<{ b64_json?: string; url?: string }> };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const b64 = (res: { body: Body }, i = 0) => Buffer.from(res.body.data[i]!.b64_json!, 'base64');
const gptLow = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' };

describe('POST /v1/images/edits answers with decodable edits', () => {
  const { app } = testApp();

  it('returns a gpt-image-1 PNG of the requested size with usage, echoing resolved values', async () => {
    const res = await postEdit(app, { ...gptLow, size: '1024x1024' });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body).toMatchObject({ created: TEST_NOW, background: 'opaque', output_format: 'png', quality: 'low', size: '1024x1024' });
    expect(Object.keys(res.body)).toEqual(['created', 'background', 'output_format', 'quality', 'size', 'data', 'usage']);
    const png = decodePng(b64(res));
    expect([png.width, png.height]).toEqual([1024, 1024]);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(res.headers['openai-version']).toBe('2020-10-01');
  });

  it('gives the same bytes for the same request, and other bytes for another prompt', async () => {
    const [a, b, c] = await Promise.all([postEdit(app, gptLow), postEdit(app, gptLow), postEdit(app, { ...gptLow, prompt: 'add a blue rose' })]);
    expect(sha(b64(a))).toBe(sha(b64(b)));
    expect(sha(b64(a))).not.toBe(sha(b64(c)));
  });

  it('gives other bytes under another sandbox seed', async () => {
    const other = testApp({ seed: 'another seed' }).app;
    const [a, b] = await Promise.all([postEdit(app, gptLow), postEdit(other, gptLow)]);
    expect(sha(b64(a))).not.toBe(sha(b64(b)));
  });

  it('returns n distinct images', async () => {
    const res = await postEdit(app, { ...gptLow, n: 3 });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body.data).toHaveLength(3);
    expect(new Set([0, 1, 2].map((i) => sha(b64(res, i)))).size).toBe(3);
    expect(res.body.usage.output_tokens).toBe(3 * 272);
  });

  it.each([
    ['jpeg', 50],
    ['webp', 80],
  ] as const)('encodes %s with output_compression %d', async (format, compression) => {
    const res = await postEdit(app, { ...gptLow, output_format: format, output_compression: compression });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body.output_format).toBe(format);
    expect(sniffFormat(b64(res))).toBe(format);
  });

  // Which size each aspect gets is resolve's table (unit/edits/resolve.test.ts).
  it('resolves size=auto from the first image, and the edit comes out at that size', async () => {
    const res = await postEdit(app, { ...gptLow, size: 'auto' }, [{ name: 'scene-768x512.png' }]);
    expect(res.body.size).toBe('1536x1024');
    const png = decodePng(b64(res));
    expect(`${png.width}x${png.height}`).toBe('1536x1024');
  });

  it('resolves quality=auto to high and bills it', async () => {
    const res = await postEdit(app, { prompt: 'x', model: 'gpt-image-1', quality: 'auto', size: '1024x1024' });
    expect(res.body.quality).toBe('high');
    expect(res.body.usage.output_tokens).toBe(4160);
  });

  it('gives a real alpha channel for background=transparent and none for opaque', async () => {
    const files: EditFile[] = [{ name: 'scene-512.png' }, { name: 'mask-512.png', field: 'mask' }];
    const [clear, solid] = await Promise.all([
      postEdit(app, { ...gptLow, size: '1024x1024', background: 'transparent' }, files),
      postEdit(app, { ...gptLow, size: '1024x1024', background: 'opaque' }, files),
    ]);
    expect(clear.body.background).toBe('transparent');
    const withAlpha = decodePng(b64(clear));
    expect(withAlpha.colorType).toBe(6);
    let transparent = 0;
    for (let p = 3; p < withAlpha.data.length; p += 4) if (withAlpha.data[p]! < 255) transparent++;
    expect(transparent).toBeGreaterThan(0);
    expect(decodePng(b64(solid)).colorType).toBe(2);
  });

  it('answers dall-e-2 with created and a url only, served with its content type', async () => {
    const res = await postEdit(app, { prompt: 'add a red rose', model: 'dall-e-2', size: '256x256' }, [{ name: 'scene-rgba-256.png' }]);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(Object.keys(res.body)).toEqual(['created', 'data']);
    const url = new URL(res.body.data[0].url);
    expect(url.pathname).toMatch(/^\/__sandbox\/files\/img-[A-Za-z0-9_-]{24}\.png$/);
    const file = await request(app).get(url.pathname + url.search).buffer(true);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    const png = decodePng(file.body as Buffer);
    expect([png.width, png.height]).toEqual([256, 256]);
  });

  it('answers dall-e-2 with b64_json when asked', async () => {
    const res = await postEdit(app, { prompt: 'x', model: 'dall-e-2', size: '512x512', response_format: 'b64_json' }, [{ name: 'scene-rgba-256.png' }]);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(decodePng(b64(res)).width).toBe(512);
  });

  it('honours response_format=url on gpt-image-1 in the seed profile, as the seed example does', async () => {
    const res = await postEdit(app, { ...gptLow, response_format: 'url' });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body.data[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__sandbox\/files\/img-/);
    expect(res.body.usage).toBeDefined();
  });

  it('answers the seed page curl example as printed (image, image.0, image.1.items, every field)', async () => {
    const res = await postEdit(
      app,
      SEED_EXAMPLE_FIELDS,
      [{ name: 'scene-512.png' }, { name: 'mask-512.png', field: 'mask' }, { name: 'scene-512.png', field: 'image.0' }, { name: 'scene-768x512.png', field: 'image.1.items' }],
    );
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body).toMatchObject({ background: 'transparent', output_format: 'png', quality: 'high', size: '1024x1024' });
    // Three input images are billed: 194 + 194 + 323, plus the high-fidelity surcharge of a square first image.
    expect(res.body.usage.input_tokens_details.image_tokens).toBe(194 + 194 + 323 + 4160);
  });

  it('defaults to dall-e-2, and to gpt-image-1 when a GPT-only field is used', async () => {
    const [plain, gptOnly] = await Promise.all([
      postEdit(app, { prompt: 'x', size: '256x256' }, [{ name: 'scene-rgba-256.png' }]),
      postEdit(app, { prompt: 'x', quality: 'low' }, [{ name: 'scene-512.png' }]),
    ]);
    expect(plain.status).toBe(200);
    expect(plain.body.usage).toBeUndefined();
    expect(plain.body.data[0].url).toBeDefined();
    expect(gptOnly.status).toBe(200);
    expect(gptOnly.body.usage).toBeDefined();
  });

  it.each(['gpt-image-1-mini', 'gpt-image-1.5'])('serves %s as a GPT image model', async (model) => {
    const res = await postEdit(app, { ...gptLow, model });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body.usage.output_tokens).toBe(272);
  });

  it('accepts jpeg and webp inputs on GPT image models', async () => {
    const res = await postEdit(app, gptLow, [{ name: 'scene-512.jpg', field: 'image[]' }, { name: 'scene-512.webp', field: 'image[]' }]);
    expect(res.status).toBe(200);
    expect(res.body.usage.input_tokens_details.image_tokens).toBe(2 * 194);
  });
});

// When a file expires is the state's (spec/stores/state-contract.ts); this is the answer once it has.
describe('a stored url whose file is gone', () => {
  it('answers 404 file_not_found in the envelope', async () => {
    const { app, stores } = testApp();
    const res = await postEdit(app, { prompt: 'x', model: 'dall-e-2', size: '256x256' }, [{ name: 'scene-rgba-256.png' }]);
    const url = new URL(res.body.data[0].url);
    const path = url.pathname + url.search;
    expect((await request(app).get(path)).status).toBe(200);
    await stores.state.resetAll();
    const gone = await request(app).get(path);
    expect(gone.status).toBe(404);
    expectToMatchSpec(gone, '/__sandbox/files/{name}', 'get');
    expect(gone.body.error.code).toBe('file_not_found');
  });
});
