/**
 * respondStream on a real socket with an injected renderer: event order and content, where a
 * failure lands (before or after the headers), and what a client that leaves stops.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Usage } from '../../../server/edits/account';
import { firstReveal, respondStream, type RenderAtReveal, type StreamOptions } from '../../../server/edits/respond-stream';
import type { EditPlan } from '../../../server/edits/types';
import { testPlan } from '../../helpers/test-plan';
import { errors } from '../../../server/errors/catalogue';
import { expectEventToMatchSpec } from '../../helpers/expect-to-match-spec';
import { readJsonEvents, SseReader } from '../../helpers/read-sse';

const EDITS = '/v1/images/edits';

const PLAN = testPlan({
  size: '1024x1536',
  height: 1536,
  quality: 'medium',
  background: 'transparent',
  outputFormat: 'webp',
  outputCompression: 80,
  stream: true,
  partialImages: 3,
});
const USAGE: Usage = { input_tokens: 20, input_tokens_details: { image_tokens: 15, text_tokens: 5 }, output_tokens: 1056, total_tokens: 1076 };
const CREATED = 1_767_225_600;

/** A renderer whose bytes name the reveal, recording each call. */
function recordingRenderer(calls: number[], fail?: (reveal: number) => Error | undefined): RenderAtReveal {
  return async (reveal) => {
    calls.push(reveal);
    const failure = fail?.(reveal);
    if (failure) throw failure;
    return Buffer.from(`image@${reveal}`);
  };
}

/** The stream's options plus the renderer the harness draws the final and the partials with. */
type HarnessOptions = StreamOptions & { readonly render: RenderAtReveal };

/**
 * One server whose single route does what the edit route does for a stream: render the first
 * event's image before any header, then run respondStream with it and the renderer.
 */
describe('respondStream', () => {
  let server: http.Server;
  let url: string;
  let run: { plan: EditPlan; options: HarnessOptions; usage?: Usage | undefined };
  let outcome: Promise<{ ok: true } | { ok: false; error: unknown; headersSent: boolean }>;
  let writesAfterClose: number;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      writesAfterClose = 0;
      let closed = false;
      res.on('close', () => (closed = true));
      const write = res.write.bind(res);
      res.write = ((...args: Parameters<typeof write>) => {
        if (closed) writesAfterClose++;
        return write(...args);
      }) as typeof res.write;
      const { render, ...options } = run.options;
      const usage = 'usage' in run ? run.usage : USAGE;
      outcome = render(firstReveal(run.plan))
        .then((first) => respondStream(res, run.plan, first, render, usage, options))
        .then(
        () => ({ ok: true as const }),
        (error: unknown) => {
          if (!res.headersSent) res.writeHead(500).end();
          return { ok: false as const, error, headersSent: res.headersSent && res.statusCode === 200 };
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('renders the first partial, then the final and the other partials revealing more each time, and sends them before one completed event', async () => {
    const calls: number[] = [];
    run = { plan: PLAN, options: { created: CREATED, intervalMs: 0, render: recordingRenderer(calls) } };
    const response = await fetch(url);
    const events = readJsonEvents(await response.text());
    expect(await outcome).toEqual({ ok: true });
    expect(calls).toEqual([0.25, 1, 0.5, 0.75]);
    for (const e of events) expectEventToMatchSpec(e, EDITS);
    expect(events.map((e) => [e.event, e.data.partial_image_index])).toEqual([
      ['image_edit.partial_image', 0],
      ['image_edit.partial_image', 1],
      ['image_edit.partial_image', 2],
      ['image_edit.completed', undefined],
    ]);
    expect(events.map((e) => Buffer.from(String(e.data.b64_json), 'base64').toString())).toEqual(['image@0.25', 'image@0.5', 'image@0.75', 'image@1']);
    expect(events[3]!.data).toEqual({
      type: 'image_edit.completed',
      b64_json: Buffer.from('image@1').toString('base64'),
      created_at: CREATED,
      size: '1024x1536',
      quality: 'medium',
      background: 'transparent',
      output_format: 'webp',
      usage: USAGE,
    });
    expect(Object.keys(events[0]!.data)).toEqual(['type', 'b64_json', 'created_at', 'size', 'quality', 'background', 'output_format', 'partial_image_index']);
  });

  it('sends only the completed event when no partial images are asked for', async () => {
    const calls: number[] = [];
    run = { plan: { ...PLAN, partialImages: 0 }, options: { created: CREATED, intervalMs: 0, render: recordingRenderer(calls) } };
    const events = readJsonEvents(await (await fetch(url)).text());
    expect(await outcome).toEqual({ ok: true });
    expect(calls).toEqual([1]);
    expect(events.map((e) => e.event)).toEqual(['image_edit.completed']);
  });

  it.each([
    [3, 0.25],
    [0, 1],
  ])("fails before any header when the first event's image cannot be rendered (%i partials), so the route answers with a JSON error", async (k, reveal) => {
    const failure = errors.internal();
    run = { plan: { ...PLAN, partialImages: k }, options: { created: CREATED, intervalMs: 0, render: recordingRenderer([], (r) => (r === reveal ? failure : undefined)) } };
    const response = await fetch(url);
    expect(response.status).toBe(500);
    expect(await outcome).toEqual({ ok: false, error: failure, headersSent: false });
  });

  it('sends the first partial without waiting for the completed image, which renders while the stream goes on', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const calls: number[] = [];
    const recording = recordingRenderer(calls);
    const render: RenderAtReveal = async (reveal) => {
      if (reveal === 1) await released;
      return recording(reveal);
    };
    run = { plan: PLAN, options: { created: CREATED, intervalMs: 0, render } };
    const response = await fetch(url);
    const reader = response.body!.getReader();
    const sse = new SseReader();
    const decoder = new TextDecoder();
    let seen: unknown[] = [];
    while (seen.length < 3) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended early');
      seen = [...seen, ...sse.push(decoder.decode(value, { stream: true }))];
    }
    // Three partials are out while the completed image is still held back.
    expect(calls).toEqual([0.25, 0.5, 0.75]);
    release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value, { stream: true });
    const completed = readJsonEvents(rest);
    expect(completed.map((e) => e.event)).toEqual(['image_edit.completed']);
    expect(Buffer.from(String(completed[0]!.data.b64_json), 'base64').toString()).toBe('image@1');
    expect(await outcome).toEqual({ ok: true });
  });

  it('ends the stream with an error event when the completed image fails after the partials went out', async () => {
    const failure = new Error('libvips exploded');
    run = { plan: PLAN, options: { created: CREATED, intervalMs: 0, render: recordingRenderer([], (r) => (r === 1 ? failure : undefined)) } };
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const events = readJsonEvents(await response.text());
    for (const e of events) expectEventToMatchSpec(e, EDITS);
    expect(events.map((e) => e.event)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.partial_image', 'error']);
    expect(events[3]!.data).toEqual({ type: 'error', error: errors.internal().toBody().error });
    expect(await outcome).toEqual({ ok: false, error: failure, headersSent: true });
  });

  it.each([
    ['a SandboxError keeps its fields', errors.streamingNeedsOneImage(), errors.streamingNeedsOneImage().toBody().error],
    ['an unknown failure becomes the 500 server_error text', new Error('libvips exploded'), errors.internal().toBody().error],
  ])('ends the stream with an error event when a partial fails after the headers: %s', async (_name, thrown, expected) => {
    run = { plan: PLAN, options: { created: CREATED, intervalMs: 0, render: recordingRenderer([], (r) => (r === 0.5 ? thrown : undefined)) } };
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const events = readJsonEvents(await response.text());
    for (const e of events) expectEventToMatchSpec(e, EDITS);
    expect(events.map((e) => e.event)).toEqual(['image_edit.partial_image', 'error']);
    expect(events[1]!.data).toEqual({ type: 'error', error: expected });
    expect(JSON.stringify(events)).not.toContain('libvips');
    // Rethrown so the error middleware logs unknown failures.
    expect(await outcome).toEqual({ ok: false, error: thrown, headersSent: true });
  });

  it.each([
    [3, ['image_edit.partial_image', 'error']],
    [0, ['error']],
  ])('with failWith (scenario stream_error) and %i partials, ends with its error event after the first event', async (k, expected) => {
    const calls: number[] = [];
    const failure = errors.internal();
    run = { plan: { ...PLAN, partialImages: k }, options: { created: CREATED, intervalMs: 0, render: recordingRenderer(calls), failWith: failure } };
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const events = readJsonEvents(await response.text());
    for (const e of events) expectEventToMatchSpec(e, EDITS);
    expect(events.map((e) => e.event)).toEqual(expected);
    expect(events.at(-1)!.data).toEqual({ type: 'error', error: failure.toBody().error });
    expect(calls).toEqual(k === 0 ? [1] : [0.25]);
    expect(await outcome).toEqual({ ok: false, error: failure, headersSent: true });
  });

  it('fails before any header when the plan carries no usage (only usage-reporting models stream)', async () => {
    run = { plan: PLAN, usage: undefined, options: { created: CREATED, intervalMs: 0, render: recordingRenderer([]) } };
    expect((await fetch(url)).status).toBe(500);
    expect(await outcome).toMatchObject({ ok: false, headersSent: false });
  });

  it("returns without writing when the client left while the first event's image was rendering", async () => {
    const calls: number[] = [];
    const controller = new AbortController();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let rendering!: () => void;
    const started = new Promise<void>((r) => (rendering = r));
    const render: RenderAtReveal = async (reveal) => {
      calls.push(reveal);
      rendering();
      await released;
      return Buffer.from('late');
    };
    run = { plan: PLAN, options: { created: CREATED, intervalMs: 60_000, render } };
    const response = fetch(url, { signal: controller.signal }).catch((e: unknown) => e);
    await started;
    controller.abort();
    await response;
    // Let the server see the socket close before the render finishes.
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect(await outcome).toEqual({ ok: true });
    expect(calls).toEqual([0.25]);
    expect(writesAfterClose).toBe(0);
  });

  it('stops rendering and writing when the client leaves mid-stream, and leaves no timer behind', async () => {
    const calls: number[] = [];
    run = { plan: PLAN, options: { created: CREATED, intervalMs: 60_000, render: recordingRenderer(calls) } };
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body!.getReader();
    const sse = new SseReader();
    const decoder = new TextDecoder();
    let first: unknown[] = [];
    while (first.length === 0) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended early');
      first = sse.push(decoder.decode(value, { stream: true }));
    }
    const started = performance.now();
    controller.abort();
    expect(await outcome).toEqual({ ok: true });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(first).toHaveLength(1);
    expect(calls).toEqual([0.25, 1]);
    expect(writesAfterClose).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(timersBefore);
  });
});
