/**
 * The official `openai` SDK against a listening sandbox, as integrators use it.
 */
import OpenAI, { toFile } from 'openai';
import { expectToMatchSchema } from '../helpers/expect-to-match-spec';
import { decodePng, fixture } from '../helpers/fixtures';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';
import type { SandboxHandle } from '../../server/start-sandbox';

const png = (name: string) => toFile(fixture(name), name, { type: 'image/png' });

describe('the official openai SDK', () => {
  let sandbox: SandboxHandle;
  let client: OpenAI;

  beforeAll(async () => {
    sandbox = await testSandbox({ apiKeys: [TEST_KEY] });
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => sandbox.close());

  it('edits with gpt-image-1 and returns b64_json, usage and the request id', async () => {
    const result = await client.images.edit({ model: 'gpt-image-1', image: await png('scene-512.png'), mask: await png('mask-512.png'), prompt: 'add a red rose', quality: 'low' });
    expectToMatchSchema(result, 'ImagesResponse');
    expect(result._request_id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(result.usage).toEqual({ input_tokens: expect.any(Number), input_tokens_details: { image_tokens: 194, text_tokens: expect.any(Number) }, output_tokens: 272, total_tokens: expect.any(Number) });
    const image = decodePng(Buffer.from(result.data![0]!.b64_json!, 'base64'));
    expect([image.width, image.height]).toEqual([1024, 1024]);
  });

  it('sends an array of images as image[] and bills each one', async () => {
    const result = await client.images.edit({ model: 'gpt-image-1', image: [await png('scene-512.png'), await png('scene-768x512.png')], prompt: 'merge them', quality: 'low' });
    expect(result.usage?.input_tokens_details.image_tokens).toBe(194 + 323);
  });

  it('edits with dall-e-2 and returns a url that can be fetched', async () => {
    const result = await client.images.edit({ model: 'dall-e-2', image: await png('scene-rgba-256.png'), prompt: 'add a red rose', size: '256x256' });
    expectToMatchSchema(result, 'ImagesResponse');
    const response = await fetch(result.data![0]!.url!);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(decodePng(Buffer.from(await response.arrayBuffer())).width).toBe(256);
  });

  it('raises BadRequestError with the live fields for an array sent to dall-e-2', async () => {
    const error = await client.images.edit({ model: 'dall-e-2', image: [await png('scene-rgba-256.png')], prompt: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'image', code: 'invalid_type' });
    expect((error as InstanceType<typeof OpenAI.APIError>).requestID).toMatch(/^req_/);
  });

  it('raises BadRequestError unsupported_file_mimetype for a file without a type, as live', async () => {
    const error = await client.images.edit({ model: 'gpt-image-1', image: await toFile(fixture('scene-512.png'), 'scene.png'), prompt: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ code: 'unsupported_file_mimetype', param: 'image' });
    expect((error as Error).message).toContain("unsupported mimetype ('application/octet-stream')");
  });

  it('raises AuthenticationError for a key that is not accepted', async () => {
    const stranger = new OpenAI({ apiKey: 'sk-stranger-key-0000000000', baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
    const error = await stranger.images.edit({ model: 'gpt-image-1', image: await png('scene-512.png'), prompt: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
  });
});
