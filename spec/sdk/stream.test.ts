/**
 * Streamed edits through the official `openai` SDK's stream iteration: the events, the final
 * equal to a non-streamed call, errors before and after the headers, and an abort mid-stream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { toFile } from 'openai';
import type { ImageEditStreamEvent } from 'openai/resources/images';
import { respondStream } from '../../server/edits/respond-stream';
import { testPlan } from '../helpers/test-plan';
import { errors } from '../../server/errors/catalogue';
import type { SandboxHandle } from '../../server/start-sandbox';
import { expectEventToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, fixture } from '../helpers/fixtures';
import { drainSdkStream } from '../helpers/read-sse';
import { TEST_KEY, TEST_NOW, testSandbox } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const scene = () => toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' });

async function collect(stream: AsyncIterable<ImageEditStreamEvent>): Promise<ImageEditStreamEvent[]> {
  const events: ImageEditStreamEvent[] = [];
  for await (const event of stream) {
    expectEventToMatchSpec({ event: event.type, data: event }, EDITS);
    events.push(event);
  }
  return events;
}

describe('streamed edits through the official openai SDK', () => {
  let sandbox: SandboxHandle;
  let client: OpenAI;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    sandbox = await testSandbox({ streamIntervalMs: 0 });
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sandbox.close();
  });

  it('iterates k partial images then the completed image, with resolved values', async () => {
    const stream = await client.images.edit({ model: 'gpt-image-1', image: await scene(), prompt: 'add a red rose', stream: true, partial_images: 2, quality: 'low' });
    const events = await collect(stream);
    expect(events.map((e) => e.type)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    expect(events.map((e) => (e.type === 'image_edit.partial_image' ? e.partial_image_index : 'end'))).toEqual([0, 1, 'end']);
    for (const e of events) {
      expect(e).toMatchObject({ created_at: TEST_NOW, size: '1024x1024', quality: 'low', background: 'opaque', output_format: 'png' });
      const image = decodePng(Buffer.from(e.b64_json, 'base64'));
      expect([image.width, image.height]).toEqual([1024, 1024]);
    }
  });

  it('completes with the same image bytes as the non-streamed call, billed 100 output tokens more per partial', async () => {
    const params = { model: 'gpt-image-1', prompt: 'add a red rose', quality: 'medium', size: '1536x1024', output_format: 'webp' } as const;
    const events = await collect(await client.images.edit({ ...params, image: await scene(), stream: true, partial_images: 1 }));
    const plain = await client.images.edit({ ...params, image: await scene() });
    const completed = events[events.length - 1]!;
    if (completed.type !== 'image_edit.completed') throw new Error(`last event is ${completed.type}`);
    expect(completed.b64_json).toBe(plain.data![0]!.b64_json);
    const billed = plain.usage!;
    expect(completed.usage).toEqual({ ...billed, output_tokens: billed.output_tokens + 100, total_tokens: billed.total_tokens + 100 });
  });

  it.each([
    ['n=2', { n: 2 }, 'n', 'Streaming is only supported with n=1.'],
    // quality=low is answered first: the live order checks quality before stream.
    ['dall-e-2', { model: 'dall-e-2' }, 'quality', "Invalid value: 'low'. Supported values are: 'standard' and 'auto'."],
  ])('raises BadRequestError before iterating for %s', async (_name, extra, param, message) => {
    const error = await client.images
      .edit({ model: 'gpt-image-1', image: await scene(), prompt: 'x', stream: true, quality: 'low', ...extra })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param });
    expect((error as Error).message).toContain(message);
  });

  it('stops cleanly when the client aborts mid-stream, and the sandbox then serves a healthy request', async () => {
    const slow = await testSandbox({ streamIntervalMs: 300 });
    try {
      const slowClient = new OpenAI({ apiKey: TEST_KEY, baseURL: `${slow.url}/v1`, maxRetries: 0 });
      const controller = new AbortController();
      const stream = await slowClient.images.edit(
        { model: 'gpt-image-1', image: await scene(), prompt: 'add a red rose', stream: true, partial_images: 3, quality: 'low' },
        { signal: controller.signal },
      );
      const seen: string[] = [];
      for await (const event of stream) {
        seen.push(event.type);
        controller.abort();
      }
      expect(seen).toEqual(['image_edit.partial_image']);

      const again = await collect(await slowClient.images.edit({ model: 'gpt-image-1', image: await scene(), prompt: 'x', stream: true, quality: 'low' }));
      expect(again.map((e) => e.type)).toEqual(['image_edit.completed']);
      const plain = await slowClient.images.edit({ model: 'gpt-image-1', image: await scene(), prompt: 'x', quality: 'low' });
      expect(plain.data).toHaveLength(1);

      // Breaking out of the loop aborts too (the SDK's own early exit).
      for await (const event of await slowClient.images.edit({ model: 'gpt-image-1', image: await scene(), prompt: 'y', stream: true, partial_images: 2, quality: 'low' })) {
        expect(event.type).toBe('image_edit.partial_image');
        break;
      }
      expect((await fetch(`${slow.url}/__sandbox/health`)).status).toBe(200);
    } finally {
      await slow.close({ graceMs: 1_000 });
    }
    expect(unhandled).toEqual([]);
  });
});

/** A server whose renderer fails at the second partial: the failure lands after the headers. */
describe('a stream that fails after its headers, read by the official SDK', () => {
  const plan = testPlan({ prompt: 'x', stream: true, partialImages: 3 });
  const usage = { input_tokens: 1, input_tokens_details: { image_tokens: 0, text_tokens: 1 }, output_tokens: 272, total_tokens: 273 };
  let failure: Error;
  let server: http.Server;
  let client: OpenAI;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const render = async (reveal: number) => {
          if (reveal === 0.5) throw failure;
          return fixture('scene-512.png');
        };
        respondStream(res, plan, fixture('scene-512.png'), render, usage, { created: TEST_NOW, intervalMs: 0 }).catch(() => undefined);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it.each([
    ['a sandbox error keeps its type, param and code', () => errors.streamingNeedsOneImage(), errors.streamingNeedsOneImage().toBody().error],
    ['an unknown failure is a server_error', () => new Error('boom'), errors.internal().toBody().error],
  ])('raises APIError from the error event: %s', async (_name, makeFailure, expected) => {
    failure = makeFailure();
    const stream = await client.images.edit({ model: 'gpt-image-1', image: await scene(), prompt: 'x', stream: true, partial_images: 3, quality: 'low' });
    const { seen, error } = await drainSdkStream(stream);
    expect(seen).toEqual(['image_edit.partial_image']);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ message: expected.message, type: expected.type, param: expected.param, code: expected.code });
  });
});
