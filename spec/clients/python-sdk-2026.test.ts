/**
 * Today's API through the official openai Python SDK (3.22.1, which knows gpt-image-2.5 and
 * xhigh/max): issue 12's "done when" as a Python integrator meets it. Images are decoded by
 * Pillow in Python; JSON edits go through `client.post`, files through `client.files.create`.
 */
import net from 'node:net';
import path from 'node:path';
import type { SandboxHandle } from '../../server/start-sandbox';
import { expectToMatchSchema } from '../helpers/expect-to-match-spec';
import { fixture, fixturePath } from '../helpers/fixtures';
import { PYTHON_SDK_SETUP_TIMEOUT_MS, pythonClientEnv, pythonWithOpenAiSdk } from '../helpers/python-sdk';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';
import { JsonLinesProcess } from './json-lines-process';

const SCRIPT = path.join(__dirname, 'python', 'edit_with_sdk.py');
/** `('x.png', bytes, 'image/png')`, the SDK's tuple form. */
const tuple = (name: string) => ({ tuple: [name, fixturePath(name), 'image/png'] });
const dataUrl = (name: string) => `data:image/png;base64,${fixture(name).toString('base64')}`;

interface Decoded {
  format: string;
  width: number;
  height: number;
}
type Reply =
  | { ok: true; result: string; response: Record<string, unknown> & { usage?: Record<string, unknown> }; images?: Decoded[]; events?: Array<Record<string, unknown>> }
  | { ok: false; error: { class: string; status_code: number; type: string; code: string | null; param: string | null; body: { message: string } } };

describe('late-2026 models through the official openai Python SDK', () => {
  let python: JsonLinesProcess;
  let seed: SandboxHandle;
  let live: SandboxHandle;

  beforeAll(async () => {
    python = JsonLinesProcess.start(await pythonWithOpenAiSdk(), [SCRIPT], pythonClientEnv());
    [seed, live] = await Promise.all([testSandbox(), testSandbox({ profile: 'openai' })]);
  }, PYTHON_SDK_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await python?.close();
    await Promise.all([seed?.close(), live?.close()]);
  });

  async function call(sandbox: SandboxHandle, request: Record<string, unknown>): Promise<Reply> {
    const reply = await python.request({ base_url: `${sandbox.url}/v1`, api_key: TEST_KEY, client: {}, ...request });
    if (typeof reply.exception === 'string') throw new Error(`${SCRIPT} raised:\n${reply.exception}`);
    return reply as unknown as Reply;
  }
  const edit = (params: Record<string, unknown>, sandbox = seed) => call(sandbox, { params: { image: tuple('scene-512.png'), prompt: 'add a red rose', ...params } });
  function success(reply: Reply) {
    if (!reply.ok) throw new Error(`expected success, got ${JSON.stringify(reply).slice(0, 500)}`);
    return reply;
  }
  function failure(reply: Reply) {
    if (reply.ok) throw new Error(`expected an APIError, got ${JSON.stringify(reply).slice(0, 300)}`);
    return reply.error;
  }

  it("edits with gpt-image-2 at size='1536x864': a 1536x864 image Pillow decodes, and output_tokens_details", async () => {
    const reply = success(await edit({ model: 'gpt-image-2', size: '1536x864', quality: 'medium' }));
    expectToMatchSchema(reply.response, 'ImagesResponse');
    expect(reply.images).toEqual([expect.objectContaining({ format: 'PNG', width: 1536, height: 864 })]);
    expect(reply.response).toMatchObject({ size: '1536x864', usage: { output_tokens: 1078, output_tokens_details: { image_tokens: 1078, text_tokens: 0 } } });
  });

  it.each([
    ['1000x1000', 'Width and height must both be divisible by 16.'],
    ['3840x1024', 'The aspect ratio must be between 1:3 and 3:1.'],
    ['4096x2304', 'The longest edge must be at most 3840 pixels.'],
  ])("answers gpt-image-2 size='%s' with BadRequestError", async (size, why) => {
    const error = failure(await edit({ model: 'gpt-image-2', size }));
    expect(error).toMatchObject({ class: 'BadRequestError', status_code: 400, type: 'image_generation_user_error', param: 'size', code: 'invalid_value' });
    expect(error.body.message).toBe(`Invalid size '${size}'. ${why}`);
  });

  it("edits with gpt-image-2.5-flare at quality='xhigh'", async () => {
    const reply = success(await edit({ model: 'gpt-image-2.5-flare', quality: 'xhigh' }));
    expect(reply.response.quality).toBe('xhigh');
    expect(reply.images).toEqual([expect.objectContaining({ format: 'PNG', width: 1024, height: 1024 })]);
  });

  it('answers input_fidelity on gpt-image-2 with invalid_input_fidelity_model', async () => {
    const error = failure(await edit({ model: 'gpt-image-2', input_fidelity: 'high' }));
    expect(error).toMatchObject({ class: 'BadRequestError', param: 'input_fidelity', code: 'invalid_input_fidelity_model' });
    expect(error.body.message).toBe("The model 'gpt-image-2' does not support the 'input_fidelity' parameter.");
  });

  it.each(['dall-e-2', 'gpt-image-1'])('answers %s "does not exist" under SANDBOX_PROFILE=openai', async (model) => {
    const error = failure(await edit({ model }, live));
    expect(error).toMatchObject({ class: 'BadRequestError', status_code: 400, type: 'image_generation_user_error', param: 'model', code: 'invalid_value' });
    expect(error.body.message).toBe(`The model '${model}' does not exist.`);
  });

  it('bills the two partial images of a stream=True edit (100 output tokens each)', async () => {
    const streamed = success(await edit({ model: 'gpt-image-2', quality: 'low', stream: true, partial_images: 2 }));
    expect(streamed.events!.map((e) => e.type)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    const plain = success(await edit({ model: 'gpt-image-2', quality: 'low' }));
    expect(plain.response.usage).toMatchObject({ output_tokens: 196 });
    expect(streamed.events!.at(-1)!.usage).toEqual({ ...(plain.response.usage as object), output_tokens: 396, total_tokens: (plain.response.usage!.total_tokens as number) + 200, output_tokens_details: undefined });
  });

  it('edits by a JSON body with a data URL (client.post), and with a file_id from client.files.create', async () => {
    const byUrl = success(await call(seed, { call: 'post', path: '/images/edits', params: { model: 'gpt-image-2', prompt: 'add a red rose', images: [{ image_url: dataUrl('scene-512.png') }], quality: 'low' } }));
    expect(byUrl.images).toEqual([expect.objectContaining({ format: 'PNG', width: 1024, height: 1024 })]);

    const file = success(await call(seed, { call: 'files.create', params: { file: { open: fixturePath('scene-512.png') }, purpose: 'vision' } }));
    expect(file.result).toBe('FileObject');
    expectToMatchSchema(file.response, 'OpenAIFile');
    expect(file.response).toMatchObject({ object: 'file', filename: 'scene-512.png', purpose: 'vision', status: 'processed' });
    const byId = success(await call(seed, { call: 'post', path: '/images/edits', params: { model: 'gpt-image-2', prompt: 'add a red rose', images: [{ file_id: file.response.id }], quality: 'low' } }));
    expect(byId.images![0]!).toEqual(byUrl.images![0]!);
  });

  it('answers an image_url to another host with 400, and opens no connection to it', async () => {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(listener.address() as net.AddressInfo).port}/a.png`;
      const error = failure(await call(seed, { call: 'post', path: '/images/edits', params: { model: 'gpt-image-2', prompt: 'x', images: [{ image_url: url }] } }));
      expect(error).toMatchObject({ class: 'BadRequestError', status_code: 400, param: 'images[0].image_url', code: 'invalid_image_url' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
