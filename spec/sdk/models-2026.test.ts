/**
 * Today's API through the official Node SDK (issue 12's "done when"): gpt-image-2's free
 * sizes and its errors, 2.5's qualities, input_fidelity refused, retired models under the
 * `openai` profile, partial images billed, and the JSON body form by data URL and by a
 * `file_id` from `client.files.create` — and an `image_url` to another host refused with no
 * connection opened.
 */
import net from 'node:net';
import OpenAI, { toFile } from 'openai';
import type { ImageEditParams } from 'openai/resources/images';
import type { SandboxHandle } from '../../server/start-sandbox';
import { expectEventToMatchSpec, expectToMatchSchema } from '../helpers/expect-to-match-spec';
import { decodePng, fixture } from '../helpers/fixtures';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';

/** Today's sizes and qualities are wider than this SDK version's types (6.30 predates gpt-image-2): cast. */
type Size = NonNullable<ImageEditParams['size']>;
type Quality = NonNullable<ImageEditParams['quality']>;
const png = (name: string) => toFile(fixture(name), name, { type: 'image/png' });
const dataUrl = (name: string) => `data:image/png;base64,${fixture(name).toString('base64')}`;

/** The SDK's error, or a failure if the call succeeded. */
async function rejection(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const outcome = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(outcome)}`);
  return outcome;
}

describe('late-2026 models through the official Node SDK (profile seed)', () => {
  let sandbox: SandboxHandle;
  let client: OpenAI;

  beforeAll(async () => {
    sandbox = await testSandbox();
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => sandbox.close());

  it('edits with gpt-image-2 at size=1536x864: a decodable 1536x864 image and output_tokens_details', async () => {
    const result = await client.images.edit({ model: 'gpt-image-2', image: await png('scene-512.png'), prompt: 'add a red rose', size: '1536x864' as Size, quality: 'medium' });
    expectToMatchSchema(result, 'ImagesResponse');
    const image = decodePng(Buffer.from(result.data![0]!.b64_json!, 'base64'));
    expect([image.width, image.height]).toEqual([1536, 864]);
    expect(result.size).toBe('1536x864');
    expect(result.usage).toMatchObject({ output_tokens: 1078, output_tokens_details: { image_tokens: 1078, text_tokens: 0 } });
    expect(result.usage!.total_tokens).toBe(result.usage!.input_tokens + 1078);
  });

  it.each([
    ['1000x1000', "Invalid size '1000x1000'. Width and height must both be divisible by 16."],
    ['3840x1024', "Invalid size '3840x1024'. The aspect ratio must be between 1:3 and 3:1."],
    ['4096x2304', "Invalid size '4096x2304'. The longest edge must be at most 3840 pixels."],
  ])('answers gpt-image-2 size=%s with BadRequestError: %s', async (size, message) => {
    const error = await rejection(client.images.edit({ model: 'gpt-image-2', image: await png('scene-512.png'), prompt: 'x', size: size as Size }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'image_generation_user_error', param: 'size', code: 'invalid_value' });
    expect(error.error).toMatchObject({ message });
  });

  it('edits with gpt-image-2.5-flare at quality=xhigh', async () => {
    const result = await client.images.edit({ model: 'gpt-image-2.5-flare', image: await png('scene-512.png'), prompt: 'add a red rose', quality: 'xhigh' as Quality });
    expectToMatchSchema(result, 'ImagesResponse');
    expect(result.quality).toBe('xhigh');
    expect(result.usage!.output_tokens).toBeGreaterThan(7024);
    expect(decodePng(Buffer.from(result.data![0]!.b64_json!, 'base64')).width).toBe(1024);
  });

  it('answers input_fidelity on gpt-image-2 with invalid_input_fidelity_model', async () => {
    const error = await rejection(client.images.edit({ model: 'gpt-image-2', image: await png('scene-512.png'), prompt: 'x', input_fidelity: 'high' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'input_fidelity', code: 'invalid_input_fidelity_model' });
    expect(error.error).toMatchObject({ message: "The model 'gpt-image-2' does not support the 'input_fidelity' parameter." });
  });

  it('bills 100 output tokens per partial image of a stream, without output_tokens_details', async () => {
    const params = { model: 'gpt-image-2', prompt: 'add a red rose', quality: 'low', size: '1536x864' as Size } as const;
    const stream = await client.images.edit({ ...params, image: await png('scene-512.png'), stream: true, partial_images: 2 });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    for (const event of events) expectEventToMatchSpec({ event: event.type, data: event }, '/v1/images/edits');
    const completed = events[2]!;
    if (completed.type !== 'image_edit.completed') throw new Error('no completed event');
    const plain = await client.images.edit({ ...params, image: await png('scene-512.png') });
    expect(plain.usage!.output_tokens).toBe(120);
    expect(completed.usage).toEqual({
      input_tokens: plain.usage!.input_tokens,
      input_tokens_details: plain.usage!.input_tokens_details,
      output_tokens: 120 + 2 * 100,
      total_tokens: plain.usage!.input_tokens + 320,
    });
    expect(completed.b64_json).toBe(plain.data![0]!.b64_json);
  });

  it('edits by a JSON body with a data URL (client.post)', async () => {
    const result = await client.post<OpenAI.ImagesResponse>('/images/edits', {
      body: { model: 'gpt-image-2', prompt: 'add a red rose', images: [{ image_url: dataUrl('scene-512.png') }], size: '1536x864', quality: 'low' },
    });
    expectToMatchSchema(result, 'ImagesResponse');
    expect(decodePng(Buffer.from(result.data![0]!.b64_json!, 'base64')).width).toBe(1536);
  });

  it('edits by a JSON body with a file_id from client.files.create, and the Files API answers as live', async () => {
    const file = await client.files.create({ file: await png('scene-512.png'), purpose: 'vision', expires_after: { anchor: 'created_at', seconds: 3600 } });
    expectToMatchSchema(file, 'OpenAIFile');
    expect(file).toMatchObject({ object: 'file', purpose: 'vision', filename: 'scene-512.png', status: 'processed', bytes: fixture('scene-512.png').length });
    expect(file.expires_at).toBe(file.created_at + 3600);
    const result = await client.post<OpenAI.ImagesResponse>('/images/edits', {
      body: { model: 'gpt-image-2', prompt: 'add a red rose', images: [{ file_id: file.id }], quality: 'low' },
    });
    expectToMatchSchema(result, 'ImagesResponse');
    expect(decodePng(Buffer.from(result.data![0]!.b64_json!, 'base64')).width).toBe(1024);

    expect((await client.files.retrieve(file.id)).id).toBe(file.id);
    expect(Buffer.from(await (await client.files.content(file.id)).arrayBuffer()).equals(fixture('scene-512.png'))).toBe(true);
    const listed = [];
    for await (const item of client.files.list()) listed.push(item.id);
    expect(listed).toContain(file.id);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    const gone = await rejection(client.files.retrieve(file.id));
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
    expect(gone.error).toMatchObject({ message: `No such File object: ${file.id}`, param: 'id' });
  });

  it('answers an image_url to another host with 400, and opens no connection to it', async () => {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      for (const url of [`http://127.0.0.1:${port}/a.png`, `http://localhost:${port}/__sandbox/files/img-a.png`, `https://127.0.0.1:${port}/v1/files/file-abc/content`]) {
        const error = await rejection(client.post('/images/edits', { body: { model: 'gpt-image-2', prompt: 'x', images: [{ image_url: url }] } }));
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect(error).toMatchObject({ param: 'images[0].image_url', code: 'invalid_image_url' });
        expect(error.error).toMatchObject({ message: expect.stringContaining('the sandbox does not fetch images from other hosts') });
      }
      // Time for any stray connection to arrive: none does.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('edits an earlier answer by its data[].url, a URL this sandbox served', async () => {
    const first = await client.images.edit({ model: 'gpt-image-2', image: await png('scene-512.png'), prompt: 'add a rose', quality: 'low', response_format: 'url' });
    const url = first.data![0]!.url!;
    expect(url.startsWith(`${sandbox.url}/__sandbox/files/`)).toBe(true);
    const second = await client.post<OpenAI.ImagesResponse>('/images/edits', { body: { model: 'gpt-image-2', prompt: 'and a vase', images: [{ image_url: url }], quality: 'low' } });
    expect(second.data![0]!.b64_json).toEqual(expect.any(String));
  });
});

describe('the openai profile through the official Node SDK', () => {
  let sandbox: SandboxHandle;
  let client: OpenAI;

  beforeAll(async () => {
    sandbox = await testSandbox({ profile: 'openai' });
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => sandbox.close());

  it.each(['dall-e-2', 'gpt-image-1'])('answers %s with "does not exist", before any other field', async (model) => {
    const error = await rejection(client.images.edit({ model, image: [await png('scene-512.png')], prompt: 'x', quality: 'bogus' as Quality }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'image_generation_user_error', param: 'model', code: 'invalid_value' });
    expect(error.error).toMatchObject({ message: `The model '${model}' does not exist.` });
  });

  it('serves gpt-image-2', async () => {
    const result = await client.images.edit({ model: 'gpt-image-2', image: await png('scene-512.png'), prompt: 'add a red rose', quality: 'low' });
    expect(result.usage?.output_tokens_details).toEqual({ image_tokens: 196, text_tokens: 0 });
  });
});
