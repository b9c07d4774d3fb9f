/**
 * Property: whatever fields and files a client sends, the sandbox answers either a 200 that
 * matches openapi.yaml (JSON or every streamed event) or a 4xx error envelope; never a 5xx,
 * a crash or a hang. And the same request twice gives the same answer.
 */
import fc from 'fast-check';
import request from 'supertest';
import { expectEventToMatchSpec, expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { readJsonEvents } from '../helpers/read-sse';
import { TEST_KEY, testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
/** Runs per property: enough to mix valid and broken requests, few enough to stay a few seconds. */
const RUNS = 25;

/** Each field: absent, valid values, and values that are wrong in type, range or case. */
const fieldValues = {
  model: fc.constantFrom('gpt-image-1', 'dall-e-2', 'gpt-image-1-mini', 'gpt-image-1.5', 'GPT-IMAGE-1', 'dall-e-3'),
  prompt: fc.oneof(fc.constantFrom('add a red rose', '在图片中添加一朵红色的玫瑰花', '', '   ', 'a\u0000b'), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 })),
  n: fc.constantFrom('1', '2', '0', '11', '1.5', 'abc', ''),
  size: fc.constantFrom('auto', '1024x1024', '1536x1024', '256x256', '512x512', '1024X1024', 'huge'),
  quality: fc.constantFrom('low', 'high', 'auto', 'standard', 'LOW', 'ultra'),
  background: fc.constantFrom('auto', 'opaque', 'transparent', 'Transparent'),
  output_format: fc.constantFrom('png', 'jpeg', 'webp', 'gif'),
  output_compression: fc.constantFrom('0', '50', '100', '101', '-1', 'x'),
  input_fidelity: fc.constantFrom('low', 'high', 'medium'),
  stream: fc.constantFrom('true', 'false', 'yes'),
  partial_images: fc.constantFrom('0', '1', '3', '4'),
  response_format: fc.constantFrom('url', 'b64_json', 'URL'),
  user: fc.string({ maxLength: 20 }),
  style: fc.constant('vivid'),
};

/** Valid images in every layout, and broken ones: damaged, lying, random, absurd. */
const FIXTURE_IMAGES = [
  'scene-512.png',
  'scene-rgba-256.png',
  'scene-768x512.png',
  'scene-512.jpg',
  'scene-512.webp',
  'scene-palette-512.png',
  'scene-grey-512.png',
  'corrupt-idat-512.png',
  'not-an-image.png',
  'bomb-50000x50000.png',
] as const;
/** Bytes with a short name, so a counterexample prints as its label rather than a byte dump. */
const labelled = (label: string, bytes: Buffer) => ({ label, bytes, [fc.toStringMethod]: () => JSON.stringify(label) });
const imageBytes = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FIXTURE_IMAGES).map((name) => labelled(name, fixture(name))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => labelled(`random bytes ${Buffer.from(a).toString('hex')}`, Buffer.from(a))) },
  { weight: 1, arbitrary: fc.nat({ max: 7000 }).map((cut) => labelled(`scene-512.png cut at ${cut}`, fixture('scene-512.png').subarray(0, cut))) },
);
const upload = fc.record({
  field: fc.constantFrom('image', 'image[]'),
  type: fc.constantFrom('image/png', 'image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'),
  image: imageBytes,
});
const hostileRequest = fc.record({
  fields: fc.record(fieldValues, { requiredKeys: ['prompt'] }),
  images: fc.array(upload, { maxLength: 3 }),
  mask: fc.option(fc.constantFrom('mask-512.png', 'mask-256.png', 'mask-no-alpha-512.png', 'not-an-image.png'), { nil: undefined }),
});
const validPrompt = fc.string({ minLength: 1, maxLength: 20 }).filter((p) => /\S/.test(p) && !/[\u0000\uFFFD]/.test(p));
/** GPT requests from valid values only. Outputs are at least 1024x1024, so these stay rarer. */
const plausibleGptRequest = fc.record({
  fields: fc.record(
    {
      prompt: validPrompt,
      model: fc.constantFrom('gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5'),
      quality: fc.constant('low'),
      size: fc.constant('1024x1024'),
      n: fc.constantFrom('1', '2'),
      background: fc.constantFrom('auto', 'opaque', 'transparent'),
      output_format: fc.constantFrom('png', 'webp'),
      output_compression: fc.constantFrom('0', '80', '100'),
      stream: fc.constantFrom('true', 'false'),
      partial_images: fc.constantFrom('0', '1'),
      user: fc.string({ maxLength: 10 }),
    },
    { requiredKeys: ['prompt', 'model', 'quality', 'size'] },
  ),
  images: fc.array(
    fc.record({
      field: fc.constant('image[]'),
      type: fc.constant('image/png'),
      image: fc.constantFrom('scene-512.png', 'scene-rgba-256.png', 'scene-palette-512.png', 'scene-16bit-512.png').map((name) => labelled(name, fixture(name))),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  mask: fc.constant(undefined),
});
/** dall-e-2 requests from valid values only (256x256: quick). */
const plausibleDalleRequest = fc.record({
  fields: fc.record(
    {
      prompt: validPrompt,
      model: fc.constant('dall-e-2'),
      size: fc.constant('256x256'),
      n: fc.constantFrom('1', '3'),
      response_format: fc.constantFrom('url', 'b64_json'),
    },
    { requiredKeys: ['prompt', 'model', 'size'] },
  ),
  images: fc.constant([{ field: 'image', type: 'image/png', image: labelled('scene-rgba-256.png', fixture('scene-rgba-256.png')) }]),
  mask: fc.option(fc.constant('mask-256.png'), { nil: undefined }),
});
interface EditRequest {
  readonly fields: Readonly<Record<string, string | undefined>>;
  readonly images: ReadonlyArray<{ readonly field: string; readonly type: string; readonly image: { readonly label: string; readonly bytes: Buffer } }>;
  readonly mask: string | undefined;
}
// Mostly hostile; the valid-only ones make sure the 200 path (JSON and stream) is drawn too.
const editRequest: fc.Arbitrary<EditRequest> = fc.oneof(
  { weight: 6, arbitrary: hostileRequest },
  { weight: 1, arbitrary: plausibleGptRequest },
  { weight: 2, arbitrary: plausibleDalleRequest },
);

describe('any edit request', () => {
  const { app } = testApp();

  function send(r: EditRequest) {
    let req = request(app).post(EDITS).set('Authorization', `Bearer ${TEST_KEY}`);
    for (const [name, value] of Object.entries(r.fields)) if (value !== undefined) req = req.field(name, value);
    for (const u of r.images) req = req.attach(u.field, u.image.bytes, { filename: 'upload.png', contentType: u.type });
    if (r.mask) req = req.attach('mask', fixture(r.mask), { filename: 'mask.png', contentType: 'image/png' });
    return req.buffer(true);
  }

  /** The answer with its random parts (stored file names) blanked, for comparing two answers. */
  function comparable(res: request.Response): unknown {
    const body: unknown = res.headers['content-type']?.startsWith('text/event-stream') ? res.text : res.body;
    // supertest serves each request on a fresh port, stored names are random by design, and
    // a url's signed expiry moves with the clock.
    return JSON.parse(JSON.stringify(body).replace(/http:\/\/[^/"]+\/__sandbox\/files\/img-[A-Za-z0-9_-]+(\.[a-z]+)\?expires=\d+&signature=[A-Za-z0-9_-]+/g, '<stored file url>$1'));
  }

  function expectWellFormed(res: request.Response, r: EditRequest): void {
    expect(res.status).toBeLessThan(500);
    if (res.status !== 200) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectToMatchSpec(res, EDITS);
      return;
    }
    if (res.headers['content-type']?.startsWith('text/event-stream')) {
      const events = readJsonEvents(res.text);
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) expectEventToMatchSpec(event, EDITS);
      expect(events[events.length - 1]!.event).toBe('image_edit.completed');
      return;
    }
    expectToMatchSpec(res, EDITS);
    expect(res.body.data).toHaveLength(Number(r.fields.n ?? 1));
  }

  it('answers a spec-valid 200 or a 4xx envelope, and the same answer twice', async () => {
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(editRequest, async (r) => {
        const first = await send(r);
        expectWellFormed(first, r);
        const second = await send(r);
        expect(second.status).toBe(first.status);
        expect(comparable(second)).toEqual(comparable(first));
        if (first.status === 200) successes++;
      }),
      {
        numRuns: RUNS,
        // Always some requests that must succeed, whatever the random draw.
        examples: [
          [{ fields: { prompt: 'add a rose', model: 'dall-e-2', size: '256x256' }, images: [{ field: 'image', type: 'image/png', image: labelled('scene-rgba-256.png', fixture('scene-rgba-256.png')) }], mask: undefined }],
          [{ fields: { prompt: 'add a rose', model: 'dall-e-2', size: '256x256', n: '2', response_format: 'b64_json' }, images: [{ field: 'image', type: 'image/png', image: labelled('scene-rgba-256.png', fixture('scene-rgba-256.png')) }], mask: 'mask-256.png' }],
          [{ fields: { prompt: 'add a rose', model: 'gpt-image-1', quality: 'low', size: '1024x1024', stream: 'true', partial_images: '1' }, images: [{ field: 'image[]', type: 'image/jpeg', image: labelled('scene-512.jpg', fixture('scene-512.jpg')) }], mask: 'mask-512.png' }],
        ],
      },
    );
    expect(successes).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('stays healthy after the random requests', async () => {
    const health = await request(app).get('/__sandbox/health');
    expect(health.status).toBe(200);
    expectToMatchSpec(health, '/__sandbox/health', 'get');
  });
});
