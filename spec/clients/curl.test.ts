/**
 * curl, with its own multipart encoder, sends the seed page's example (real files in place of
 * its placeholders) and the official docs' `image[]=@a.png` form; each answer matches the
 * contract and carries the same image the official Node SDK gets for the same request.
 */
import { createHash } from 'node:crypto';
import OpenAI, { toFile } from 'openai';
import type { SandboxHandle } from '../../server/start-sandbox';
import { contentTypeOf } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, fixture, fixturePath } from '../helpers/fixtures';
import { SEED_EXAMPLE_FIELDS } from '../helpers/seed-example';
import { TEST_KEY, TEST_NOW, testSandbox } from '../helpers/test-sandbox';
import { requireProgram, runProgram } from './run-client';

const EDITS = '/v1/images/edits';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface CurlResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  raw: Buffer;
}

/** curl with `--include`: the status line and headers (after any `100 Continue`), then the body. */
async function curl(curlPath: string, args: readonly string[]): Promise<CurlResponse> {
  const result = await runProgram(curlPath, ['--silent', '--show-error', '--include', ...args]);
  if (result.code !== 0) throw new Error(`curl exited with ${result.code}: ${result.stderr}`);
  // latin1 keeps one char per byte, so the body's bytes survive the header split.
  let rest = result.stdout.toString('latin1');
  let head = '';
  do {
    const end = rest.indexOf('\r\n\r\n');
    head = rest.slice(0, end);
    rest = rest.slice(end + 4);
  } while (/^HTTP\/\S+ 100\b/.test(head));
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  const isJson = (headers['content-type'] ?? '').includes('application/json');
  const raw = Buffer.from(rest, 'latin1');
  return { status: Number(statusLine!.split(' ')[1]), headers, body: isJson ? JSON.parse(raw.toString('utf8')) : raw, raw };
}

const sdkFile = (name: string) => toFile(fixture(name), name, { type: contentTypeOf(name) });

describe('curl', () => {
  let curlPath: string;
  let sandbox: SandboxHandle;
  let sdk: OpenAI;

  beforeAll(async () => {
    curlPath = requireProgram(['curl'], ['--version'], 'apt-get install -y curl');
    sandbox = await testSandbox();
    sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => sandbox?.close());

  it("gets a url for the seed page's curl example, with the same image the SDK gets", async () => {
    const res = await curl(curlPath, [
      '--request', 'POST',
      '--url', `${sandbox.url}${EDITS}`,
      '--header', `Authorization: Bearer ${TEST_KEY}`,
      '--header', 'Content-Type: multipart/form-data',
      '--form', `image=@${fixturePath('scene-512.png')}`,
      '--form', 'prompt=在图片中添加一朵红色的玫瑰花',
      '--form', 'background=transparent',
      '--form', 'input_fidelity=high',
      '--form', `mask=@${fixturePath('mask-512.png')}`,
      '--form', 'model=gpt-image-1',
      '--form', 'n=1',
      '--form', 'output_compression=100',
      '--form', 'output_format=png',
      '--form', 'partial_images=0',
      '--form', 'quality=auto',
      '--form', 'response_format=url',
      '--form', 'size=1024x1024',
      '--form', 'stream=false',
      '--form', 'user=user-1234',
      '--form', `image.0=@${fixturePath('scene-rgba-512.png')}`,
      '--form', `image.1.items=@${fixturePath('scene-512.jpg')}`,
    ]);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    const body = res.body as { created: number; background: string; size: string; quality: string; data: Array<{ url: string }>; usage: { input_tokens_details: { image_tokens: number } } };
    expect(body).toMatchObject({ created: TEST_NOW, background: 'transparent', output_format: 'png', quality: 'high', size: '1024x1024' });
    expect(body.data).toHaveLength(1);

    const image = await curl(curlPath, [body.data[0]!.url]);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    const png = decodePng(image.raw);
    expect([png.width, png.height, png.alpha]).toEqual([1024, 1024, true]);

    // The same request from the official SDK: the same three images in the same order.
    const viaSdk = await sdk.images.edit({
      image: [await sdkFile('scene-512.png'), await sdkFile('scene-rgba-512.png'), await sdkFile('scene-512.jpg')],
      mask: await sdkFile('mask-512.png'),
      ...SEED_EXAMPLE_FIELDS,
    });
    expect(viaSdk.usage).toEqual((res.body as { usage: unknown }).usage);
    const sdkImage = Buffer.from(await (await fetch(viaSdk.data![0]!.url!)).arrayBuffer());
    expect(sha256(image.raw)).toBe(sha256(sdkImage));
  }, 90_000);

  it('sends several images as repeated image[] parts, as the official docs show', async () => {
    const res = await curl(curlPath, [
      `${sandbox.url}${EDITS}`,
      '-H', `Authorization: Bearer ${TEST_KEY}`,
      '-F', 'model=gpt-image-1',
      '-F', 'prompt=put both scenes in one picture',
      '-F', 'quality=low',
      '-F', `image[]=@${fixturePath('scene-512.png')}`,
      '-F', `image[]=@${fixturePath('scene-768x512.png')}`,
    ]);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    const body = res.body as { size: string; data: Array<{ b64_json: string }>; usage: unknown };
    expect(body.size).toBe('1024x1024');

    const viaSdk = await sdk.images.edit({
      model: 'gpt-image-1',
      prompt: 'put both scenes in one picture',
      quality: 'low',
      image: [await sdkFile('scene-512.png'), await sdkFile('scene-768x512.png')],
    });
    expect(viaSdk.usage).toEqual(body.usage);
    expect(sha256(Buffer.from(body.data[0]!.b64_json, 'base64'))).toBe(sha256(Buffer.from(viaSdk.data![0]!.b64_json!, 'base64')));
  }, 90_000);

  it('answers a dall-e-2 edit of one transparent square with a url by default', async () => {
    const res = await curl(curlPath, [
      `${sandbox.url}${EDITS}`,
      '-H', `Authorization: Bearer ${TEST_KEY}`,
      '-F', `image=@${fixturePath('scene-rgba-256.png')}`,
      '-F', 'prompt=a sunlit lounge area with a pool',
      '-F', 'size=256x256',
    ]);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    const body = res.body as { data: Array<{ url: string }>; usage?: unknown };
    expect(body.usage).toBeUndefined();
    const image = await curl(curlPath, [body.data[0]!.url]);
    expect([decodePng(image.raw).width, decodePng(image.raw).height]).toEqual([256, 256]);
  });

  it('gets the OpenAI error envelope for a missing prompt', async () => {
    const res = await curl(curlPath, [`${sandbox.url}${EDITS}`, '-H', `Authorization: Bearer ${TEST_KEY}`, '-F', 'model=gpt-image-1', '-F', `image=@${fixturePath('scene-512.png')}`]);
    expect(res.status).toBe(400);
    expectToMatchSpec(res, EDITS);
    expect(res.body).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error', param: 'prompt' }) });
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });
});
