/**
 * stream=true over HTTP: framing, event order and count, the partial previews, the final
 * equal to the JSON answer, errors before the stream, and (with a raw reader on a listening
 * sandbox) events flushed one by one at the configured spacing.
 */
import http from 'node:http';
import { postEdit } from '../helpers/edit-request';
import { expectEventToMatchSpec, expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, fixture, sniffFormat } from '../helpers/fixtures';
import { readJsonEvents, SseReader, type JsonEvent } from '../helpers/read-sse';
import { TEST_KEY, TEST_NOW, testApp, testSandbox } from '../helpers/test-sandbox';
import type { SandboxHandle } from '../../server/start-sandbox';

const EDITS = '/v1/images/edits';
const BASE = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', stream: 'true' };
const imageOf = (e: JsonEvent) => Buffer.from(String(e.data.b64_json), 'base64');

/** supertest keeps text/event-stream bodies as text; every event is checked against the spec. */
async function streamEdit(app: ReturnType<typeof testApp>['app'], fields: Record<string, string | number>, files?: Parameters<typeof postEdit>[2]) {
  const res = await postEdit(app, fields, files);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/event-stream(;|$)/);
  const events = readJsonEvents(res.text);
  for (const e of events) expectEventToMatchSpec(e, EDITS);
  return { res, events };
}

/** How many pixels differ from the final image. */
function pixelsDifferent(a: Buffer, b: Buffer): number {
  let count = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) count++;
  return count;
}

describe('POST /v1/images/edits with stream=true', () => {
  const { app } = testApp();

  it('answers text/event-stream: an event line, one data line, a blank line per event, no [DONE], nothing after completed', async () => {
    const { res } = await streamEdit(app, { ...BASE, partial_images: 2 });
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    const blocks = res.text.split('\n\n');
    expect(blocks.pop()).toBe('');
    expect(blocks).toHaveLength(3);
    for (const block of blocks) expect(block).toMatch(/^event: (image_edit\.partial_image|image_edit\.completed)\ndata: \{[^\n]*\}$/);
    expect(res.text).not.toContain('[DONE]');
    expect(res.text.endsWith('\n\n')).toBe(true);
    expect(blocks[2]).toMatch(/^event: image_edit\.completed\n/);
  });

  it.each([0, 1, 2, 3])('gives exactly %i partial events with indices from 0, then one completed event', async (k) => {
    const { events } = await streamEdit(app, { ...BASE, partial_images: k });
    const expected = [...Array.from({ length: k }, (_, i) => ['image_edit.partial_image', i]), ['image_edit.completed', undefined]];
    expect(events.map((e) => [e.event, e.data.partial_image_index])).toEqual(expected);
    for (const e of events) expect(e.data).toMatchObject({ created_at: TEST_NOW, size: '1024x1024', quality: 'low', background: 'opaque', output_format: 'png' });
  });

  // How much of the edit each reveals is render's (unit/edits/render.test.ts).
  it('sends partials that are decodable images of the final size, none of them the final image', async () => {
    const { events } = await streamEdit(app, { ...BASE, partial_images: 3, size: '1536x1024' });
    const images = events.map((e) => decodePng(imageOf(e)));
    for (const png of images) expect([png.width, png.height]).toEqual([1536, 1024]);
    const final = images[3]!.data;
    for (const png of images.slice(0, 3)) expect(pixelsDifferent(png.data, final)).toBeGreaterThan(0);
  });

  it('streams the same bytes for the same request', async () => {
    const fields = { ...BASE, partial_images: 2 };
    const [a, b] = await Promise.all([postEdit(app, fields), postEdit(app, fields)]);
    expect(a.text.length).toBeGreaterThan(1000);
    expect(a.text).toBe(b.text);
  });

  it('echoes the resolved values (never auto) and encodes partials in the requested format', async () => {
    const fields = { ...BASE, quality: 'auto', size: 'auto', background: 'auto', output_format: 'webp', output_compression: 60, partial_images: 1 };
    const { events } = await streamEdit(app, fields, [{ name: 'scene-512x768.png' }]);
    const json = await postEdit(app, { ...fields, stream: 'false' }, [{ name: 'scene-512x768.png' }]);
    expectToMatchSpec(json, EDITS);
    for (const e of events) {
      expect(e.data).toMatchObject({ size: json.body.size, quality: json.body.quality, background: json.body.background, output_format: 'webp' });
      expect(sniffFormat(imageOf(e))).toBe('webp');
    }
    expect(events[0]!.data.size).toBe('1024x1536');
  });

  it.each([
    ['png with a mask and high input fidelity', { input_fidelity: 'high', quality: 'medium' }, [{ name: 'scene-512.png' }, { field: 'mask', name: 'mask-512.png' }]],
    ['transparent webp', { background: 'transparent', output_format: 'webp', output_compression: 70 }, [{ name: 'scene-rgba-512.png' }]],
    ['jpeg', { output_format: 'jpeg', output_compression: 40 }, [{ name: 'scene-512.jpg' }]],
  ])('completes with the very image of the JSON answer, its usage plus 100 output tokens per partial (%s)', async (_name, extra, files) => {
    const fields = { ...BASE, partial_images: 1, ...extra };
    const { events } = await streamEdit(app, fields, files);
    const json = await postEdit(app, { ...fields, stream: 'false' }, files);
    expect(json.status).toBe(200);
    expectToMatchSpec(json, EDITS);
    const completed = events[events.length - 1]!;
    expect(completed.event).toBe('image_edit.completed');
    expect(completed.data.b64_json).toBe(json.body.data[0].b64_json);
    const billed = json.body.usage as { output_tokens: number; total_tokens: number };
    expect(completed.data.usage).toEqual({ ...json.body.usage, output_tokens: billed.output_tokens + 100, total_tokens: billed.total_tokens + 100 });
    expect(completed.data.created_at).toBe(json.body.created);
    for (const key of ['size', 'quality', 'background', 'output_format']) expect(completed.data[key]).toBe(json.body[key]);
    expect(imageOf(events[0]!).equals(imageOf(completed))).toBe(false);
  });

  // Refused at validate, inspect or decode: before the headers, so an ordinary JSON answer.
  // (What each step refuses is in its unit table.)
  it.each([
    { step: 'validate', field: 'n', value: '2', files: undefined, status: 400, type: 'invalid_request_error', param: 'n', code: 'invalid_value' },
    { step: 'inspect', field: 'image', value: 'not-an-image.png', files: [{ name: 'not-an-image.png' }], status: 400, type: 'image_generation_user_error', param: null, code: 'invalid_image_file' },
    { step: 'decode', field: 'image', value: 'corrupt-idat-512.png', files: [{ name: 'corrupt-idat-512.png' }], status: 400, type: 'image_generation_user_error', param: null, code: 'invalid_image_file' },
  ])('answers $field=$value ($step) with an ordinary JSON $status before any stream starts', async ({ field, value, files, status, type, param, code }) => {
    const res = await postEdit(app, field === 'image' ? BASE : { ...BASE, [field]: value }, files);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type, param, code });
  });

  it('answers a missing key with a JSON 401, not a stream', async () => {
    const res = await postEdit(app, BASE, undefined, null);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectToMatchSpec(res, EDITS);
  });
});

/** A multipart edit request as raw bytes, for a plain node:http client. */
async function multipartBody(fields: Record<string, string>): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('image', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'scene.png');
  const encoded = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

interface Arrival {
  readonly at: number;
  readonly chunk: number;
  readonly event: string | null;
  readonly data: string;
}

/** Every arrived event checked against openapi.yaml. */
function expectArrivalsToMatchSpec(arrivals: readonly Arrival[]): void {
  for (const a of arrivals) expectEventToMatchSpec({ event: a.event, data: JSON.parse(a.data) }, EDITS);
}

/** Posts with node:http and notes when each event's bytes arrived; `stopAfter` destroys the socket. */
async function rawStream(url: string, fields: Record<string, string>, stopAfter?: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; arrivals: Arrival[]; text: string }> {
  const { body, contentType } = await multipartBody(fields);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${EDITS}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': contentType, 'content-length': body.length } });
    req.on('error', reject);
    req.on('response', (res) => {
      const reader = new SseReader();
      const arrivals: Arrival[] = [];
      let text = '';
      let chunk = 0;
      const done = () => resolve({ status: res.statusCode!, headers: res.headers, arrivals, text });
      res.setEncoding('utf8');
      res.on('data', (data: string) => {
        text += data;
        const at = performance.now();
        for (const m of reader.push(data)) arrivals.push({ at, chunk, event: m.event, data: m.data });
        chunk++;
        if (stopAfter !== undefined && arrivals.length >= stopAfter) {
          req.destroy();
          done();
        }
      });
      res.on('end', done);
    });
    req.end(body);
  });
}

describe('a streamed edit on a listening sandbox, read as raw bytes', () => {
  const SPACING = 150;
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await testSandbox({ streamIntervalMs: SPACING });
  });
  afterAll(() => sandbox.close({ graceMs: 0 }));

  it('flushes each event on its own, spaced by the configured interval', async () => {
    const { status, headers, arrivals } = await rawStream(sandbox.url, { ...BASE, partial_images: '3' });
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(arrivals.map((a) => a.event)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    expectArrivalsToMatchSpec(arrivals);
    // Each event came in a later chunk than the one before, and at least one spacing later.
    for (let i = 1; i < arrivals.length; i++) {
      expect(arrivals[i]!.chunk).toBeGreaterThan(arrivals[i - 1]!.chunk);
      expect(arrivals[i]!.at - arrivals[i - 1]!.at).toBeGreaterThanOrEqual(SPACING - 10);
    }
  });

  it('keeps serving after a client drops the socket mid-stream', async () => {
    const dropped = await rawStream(sandbox.url, { ...BASE, partial_images: '3' }, 1);
    expect(dropped.arrivals).toHaveLength(1);
    expectArrivalsToMatchSpec(dropped.arrivals);
    const next = await rawStream(sandbox.url, { ...BASE, partial_images: '1' });
    expect(next.status).toBe(200);
    expect(next.arrivals.map((a) => a.event)).toEqual(['image_edit.partial_image', 'image_edit.completed']);
    expectArrivalsToMatchSpec(next.arrivals);
    const health = await fetch(`${sandbox.url}/__sandbox/health`);
    expect(health.status).toBe(200);
  });
});
