/**
 * The official openai Python SDK (pinned in spec/clients/python/requirements.txt, in a venv
 * the tests build) against a listening sandbox: files as Python callers pass them, dall-e-2
 * urls and base64, streaming, the async client, and the error classes with the SDK's own
 * retries. Every image is decoded by Pillow in Python and checked here for format, size and
 * alpha; the wire encoding is checked in the sandbox's journal.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { SandboxHandle } from '../../server/start-sandbox';
import { contentTypeOf } from '../helpers/edit-request';
import { expectToMatchSchema } from '../helpers/expect-to-match-spec';
import { fixture, fixturePath } from '../helpers/fixtures';
import { PYTHON_REQUIREMENTS, PYTHON_SDK_SETUP_TIMEOUT_MS, pythonClientEnv, pythonWithOpenAiSdk } from '../helpers/python-sdk';
import { TEST_KEY, TEST_NOW, testSandbox } from '../helpers/test-sandbox';
import { JsonLinesProcess } from './json-lines-process';

const SCRIPT = path.join(__dirname, 'python', 'edit_with_sdk.py');
const PINNED_SDK = /^openai==(\S+)$/m.exec(fs.readFileSync(PYTHON_REQUIREMENTS, 'utf8'))![1]!;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type FileArg = { open: string } | { tuple: [string, string, string] } | { bytes: string };
/** `open('…/x.png', 'rb')`, as the SDK's own examples pass files. */
const opened = (name: string): FileArg => ({ open: fixturePath(name) });
/** `('x.png', bytes, 'image/png')`, the SDK's tuple form. */
const tuple = (name: string): FileArg => ({ tuple: [name, fixturePath(name), contentTypeOf(name)] });

/** An image as Pillow decoded it, every pixel read. */
interface Decoded {
  format: 'PNG' | 'JPEG' | 'WEBP';
  width: number;
  height: number;
  mode: string;
  alpha_range: [number, number] | null;
  sha256: string;
}
interface PythonCall {
  params: Record<string, unknown>;
  client?: { async?: boolean; max_retries?: number; timeout?: number; api_key?: string };
  extra_headers?: Record<string, string>;
}
type PythonReply =
  | { ok: true; client: 'OpenAI' | 'AsyncOpenAI'; result: string; request_id: string; response: Record<string, unknown> & { data: Array<{ b64_json?: string; url?: string }> }; images: Decoded[] }
  | { ok: true; client: 'OpenAI' | 'AsyncOpenAI'; result: string; events: Array<Record<string, unknown> & { type: string; image: Decoded }> }
  | { ok: false; error: { class: string; classes: string[]; status_code: number | null; request_id: string | null; type: string | null; code: string | null; param: string | null; message: string; body: unknown } };

describe('the official openai Python SDK', () => {
  let python: JsonLinesProcess;
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    python = JsonLinesProcess.start(await pythonWithOpenAiSdk(), [SCRIPT], pythonClientEnv());
    sandbox = await testSandbox({ apiKeys: [TEST_KEY], maxLatencyMs: 10_000 });
  }, PYTHON_SDK_SETUP_TIMEOUT_MS);
  afterEach(() => sandbox.reset());
  afterAll(async () => {
    await python?.close();
    await sandbox?.close();
  });

  /** Runs one `client.images.edit(...)` in Python and returns what it printed. */
  async function pythonEdit({ params, client = {}, extra_headers }: PythonCall): Promise<PythonReply> {
    const { api_key = TEST_KEY, ...options } = client;
    const reply = await python.request({ base_url: `${sandbox.url}/v1`, api_key, client: options, params, extra_headers });
    if (typeof reply.exception === 'string') throw new Error(`${SCRIPT} raised:\n${reply.exception}`);
    return reply as unknown as PythonReply;
  }
  function success(reply: PythonReply) {
    if (!reply.ok || !('images' in reply)) throw new Error(`expected an ImagesResponse, got ${JSON.stringify(reply).slice(0, 500)}`);
    expectToMatchSchema(reply.response, 'ImagesResponse');
    return reply;
  }
  function failure(reply: PythonReply) {
    if (reply.ok) throw new Error(`expected an APIError, got ${JSON.stringify(reply).slice(0, 500)}`);
    return reply.error;
  }
  const onlyEntry = async () => {
    const entries = await sandbox.namespace().journal();
    expect(entries).toHaveLength(1);
    return entries[0]!;
  };

  it('sends an open() file as image, typed from its name, with the SDK identifying itself', async () => {
    const reply = success(await pythonEdit({ params: { image: opened('scene-512.png'), prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' } }));
    expect(reply).toMatchObject({ client: 'OpenAI', result: 'ImagesResponse', request_id: expect.stringMatching(/^req_[0-9a-f]{32}$/) });
    expect(reply.response).toMatchObject({ created: TEST_NOW, background: 'opaque', output_format: 'png', quality: 'low', size: '1024x1024' });
    expect(reply.images).toEqual([{ format: 'PNG', width: 1024, height: 1024, mode: 'RGB', alpha_range: null, sha256: expect.any(String) }]);

    const entry = await onlyEntry();
    expect(entry.id).toBe(reply.request_id);
    expect(entry.files.map(({ field, filename, content_type }) => ({ field, filename, content_type }))).toEqual([{ field: 'image', filename: 'scene-512.png', content_type: 'image/png' }]);
    expect(entry.headers).toMatchObject({ 'user-agent': `OpenAI/Python ${PINNED_SDK}`, 'x-stainless-lang': 'python', 'x-stainless-package-version': PINNED_SDK, 'x-stainless-retry-count': '0' });
  });

  it('sends a list of (name, bytes, type) tuples as image[] with a mask, and gets the bytes the Node SDK gets', async () => {
    const params = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', output_format: 'webp', output_compression: 80 } as const;
    const reply = success(await pythonEdit({ params: { ...params, image: [tuple('scene-512.png'), tuple('scene-512.webp')], mask: tuple('mask-512.png') } }));
    expect(reply.images).toEqual([{ format: 'WEBP', width: 1024, height: 1024, mode: 'RGB', alpha_range: null, sha256: expect.any(String) }]);
    const entry = await onlyEntry();
    expect(entry.files.map(({ field, filename, content_type }) => ({ field, filename, content_type }))).toEqual([
      { field: 'image[]', filename: 'scene-512.png', content_type: 'image/png' },
      { field: 'image[]', filename: 'scene-512.webp', content_type: 'image/webp' },
    ]);
    expect(entry.mask).toMatchObject({ field: 'mask', filename: 'mask-512.png', content_type: 'image/png' });

    const node = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
    const file = (name: string) => toFile(fixture(name), name, { type: contentTypeOf(name) });
    const viaNode = await node.images.edit({ ...params, image: [await file('scene-512.png'), await file('scene-512.webp')], mask: await file('mask-512.png') });
    expect(reply.response.usage).toEqual(viaNode.usage);
    expect(reply.images[0]!.sha256).toBe(sha256(Buffer.from(viaNode.data![0]!.b64_json!, 'base64')));
  }, 60_000);

  it('keeps the transparency of a transparent-background edit', async () => {
    const reply = success(await pythonEdit({ params: { image: opened('scene-rgba-512.png'), prompt: 'a glass vase', model: 'gpt-image-1.5', quality: 'low', background: 'transparent', size: '1024x1536' } }));
    expect(reply.response).toMatchObject({ background: 'transparent', size: '1024x1536' });
    const [image] = reply.images;
    expect(image).toMatchObject({ format: 'PNG', width: 1024, height: 1536, mode: 'RGBA' });
    expect(image!.alpha_range![0]).toBeLessThan(255); // some pixels really are see-through
  });

  it('gets dall-e-2 urls that serve PNGs of the requested size', async () => {
    const reply = success(await pythonEdit({ params: { image: opened('scene-rgba-256.png'), prompt: 'a sunlit pool', model: 'dall-e-2', size: '256x256', n: 2, response_format: 'url' } }));
    expect(reply.response.data.map((d) => d.url)).toEqual([expect.stringMatching(new RegExp(`^${sandbox.url}/`)), expect.stringMatching(new RegExp(`^${sandbox.url}/`))]);
    expect(reply.images.map(({ format, width, height, mode }) => ({ format, width, height, mode }))).toEqual([
      { format: 'PNG', width: 256, height: 256, mode: 'RGB' },
      { format: 'PNG', width: 256, height: 256, mode: 'RGB' },
    ]);
    expect(reply.images[0]!.sha256).not.toBe(reply.images[1]!.sha256);
  });

  it('gets dall-e-2 images as b64_json', async () => {
    const reply = success(await pythonEdit({ params: { image: opened('scene-rgba-256.png'), mask: opened('mask-256.png'), prompt: 'a sunlit pool', model: 'dall-e-2', size: '512x512', response_format: 'b64_json' } }));
    expect(reply.response.data[0]).toEqual({ b64_json: expect.any(String) });
    expect(reply.images).toEqual([{ format: 'PNG', width: 512, height: 512, mode: 'RGB', alpha_range: null, sha256: expect.any(String) }]);
  });

  it('iterates a stream=True edit: each partial image, then the completed image with usage', async () => {
    const reply = await pythonEdit({ params: { image: tuple('scene-512.png'), prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', output_format: 'jpeg', stream: true, partial_images: 2 } });
    if (!reply.ok || !('events' in reply)) throw new Error(JSON.stringify(reply).slice(0, 500));
    expect(reply.result).toBe('Stream');
    expect(reply.events.map((e) => [e.type, e.partial_image_index])).toEqual([
      ['image_edit.partial_image', 0],
      ['image_edit.partial_image', 1],
      ['image_edit.completed', undefined],
    ]);
    for (const { image, ...event } of reply.events) {
      expectToMatchSchema(event, 'ImageEditStreamEvent');
      expect(image).toMatchObject({ format: 'JPEG', width: 1024, height: 1024, mode: 'RGB', alpha_range: null });
    }
    // 272 for the image, and 100 for each of the two partial images.
    expect(reply.events.at(-1)!.usage).toMatchObject({ output_tokens: 272 + 2 * 100 });
    expect(await onlyEntry()).toMatchObject({ stream: true, status: 200 });
  });

  it('edits and streams with AsyncOpenAI', async () => {
    const edited = success(await pythonEdit({ client: { async: true }, params: { image: opened('scene-512.jpg'), prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', output_format: 'webp' } }));
    expect(edited.client).toBe('AsyncOpenAI');
    expect(edited.images).toEqual([{ format: 'WEBP', width: 1024, height: 1024, mode: 'RGB', alpha_range: null, sha256: expect.any(String) }]);
    expect((await sandbox.namespace().journal())[0]!.files[0]).toMatchObject({ field: 'image', filename: 'scene-512.jpg', content_type: 'image/jpeg' });

    const streamed = await pythonEdit({ client: { async: true }, params: { image: opened('scene-512.png'), prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', stream: true, partial_images: 1 } });
    if (!streamed.ok || !('events' in streamed)) throw new Error(JSON.stringify(streamed).slice(0, 500));
    expect(streamed.result).toBe('AsyncStream');
    expect(streamed.events.map((e) => e.type)).toEqual(['image_edit.partial_image', 'image_edit.completed']);
    expect(streamed.events.at(-1)!.image).toMatchObject({ format: 'PNG', width: 1024, height: 1024 });
  }, 60_000);

  it.each([
    {
      what: 'a list sent to dall-e-2 (the SDK sends image[])',
      params: { image: [opened('scene-rgba-256.png')], prompt: 'x', model: 'dall-e-2' },
      param: 'image',
      code: 'invalid_type',
      message: "Invalid type for 'image': expected a file, but got an array instead.",
    },
    {
      what: 'raw bytes (no name, so no type)',
      params: { image: { bytes: fixturePath('scene-512.png') }, prompt: 'x', model: 'gpt-image-1' },
      param: 'image',
      code: 'unsupported_file_mimetype',
      message: "Invalid file 'image': unsupported mimetype ('application/octet-stream'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
    },
    {
      what: 'a size gpt-image-1 does not make',
      params: { image: opened('scene-512.png'), prompt: 'x', model: 'gpt-image-1', size: '256x256' },
      param: 'size',
      code: 'invalid_value',
      message: expect.stringContaining("'256x256'"),
    },
  ])('raises BadRequestError for $what', async ({ params, param, code, message }) => {
    const error = failure(await pythonEdit({ params }));
    expect(error).toMatchObject({ class: 'BadRequestError', status_code: 400, type: 'invalid_request_error', param, code, message: expect.stringMatching(/^Error code: 400 - /) });
    expect(error.classes).toEqual(['BadRequestError', 'APIStatusError', 'APIError', 'OpenAIError']);
    expect(error.body).toEqual({ type: 'invalid_request_error', param, code, message });
    expect(error.request_id).toBe((await onlyEntry()).id);
  });

  it('raises AuthenticationError for a key the sandbox does not accept', async () => {
    const error = failure(await pythonEdit({ client: { api_key: 'sk-stranger-0000000000000000' }, params: { image: opened('scene-512.png'), prompt: 'x', model: 'gpt-image-1' } }));
    expect(error).toMatchObject({ class: 'AuthenticationError', status_code: 401, code: 'invalid_api_key', param: null });
    expect(error.classes).toContain('APIStatusError');
    expect(await onlyEntry()).toMatchObject({ status: 401, headers: { authorization: 'Bearer sk-…redacted' } });
  });

  it('retries armed rate limits itself (counted in the journal) and raises RateLimitError when they outlast its retries', async () => {
    await sandbox.namespace().arm('rate_limit', { times: 3 });
    const error = failure(await pythonEdit({ client: { max_retries: 2 }, params: { image: opened('scene-512.png'), prompt: 'x', model: 'gpt-image-1', quality: 'low' } }));
    expect(error).toMatchObject({ class: 'RateLimitError', status_code: 429, type: 'requests', code: 'rate_limit_exceeded' });
    const attempts = (await sandbox.namespace().journal());
    expect(attempts.map((e) => [e.status, e.scenario, e.headers['x-stainless-retry-count']])).toEqual([
      [429, 'rate_limit', '0'],
      [429, 'rate_limit', '1'],
      [429, 'rate_limit', '2'],
    ]);
    expect(error.request_id).toBe(attempts[2]!.id);
  }, 60_000);

  it('rides out armed rate limits with its retries and returns the image', async () => {
    await sandbox.namespace().arm('rate_limit', { times: 2 });
    const reply = success(await pythonEdit({ client: { max_retries: 2 }, params: { image: opened('scene-512.png'), prompt: 'x', model: 'gpt-image-1', quality: 'low' } }));
    expect(reply.images).toHaveLength(1);
    expect((await sandbox.namespace().journal()).map((e) => [e.status, e.headers['x-stainless-retry-count']])).toEqual([
      [429, '0'],
      [429, '1'],
      [200, '2'],
    ]);
  }, 60_000);

  it.each([
    { scenario: 'server_error', status: 500 },
    { scenario: 'overloaded', status: 503 },
  ])('raises InternalServerError for $scenario ($status) when retries are off', async ({ scenario, status }) => {
    const error = failure(await pythonEdit({ extra_headers: { 'x-sandbox-scenario': scenario }, params: { image: opened('scene-512.png'), prompt: 'x', model: 'gpt-image-1' } }));
    expect(error).toMatchObject({ class: 'InternalServerError', status_code: status, type: 'server_error' });
    expect(await onlyEntry()).toMatchObject({ status, scenario });
  });

  it('raises APITimeoutError when the timeout scenario outlasts the client timeout', async () => {
    const started = performance.now();
    const error = failure(await pythonEdit({ client: { timeout: 1 }, extra_headers: { 'x-sandbox-scenario': 'timeout' }, params: { image: opened('scene-512.png'), prompt: 'x', model: 'gpt-image-1' } }));
    expect(error).toMatchObject({ class: 'APITimeoutError', status_code: null, message: 'Request timed out.' });
    expect(error.classes).toEqual(['APITimeoutError', 'APIConnectionError', 'APIError', 'OpenAIError']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    // The sandbox records that the client went away.
    for (let i = 0; i < 20 && (await sandbox.namespace().journal())[0]?.status !== 499; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await onlyEntry()).toMatchObject({ scenario: 'timeout', status: 499 });
  });
});
