/**
 * Python's httpx, sending edits exactly as the official openai-python SDK encodes them
 * (python_sdk_edit.py): the sandbox answers them as it answers the Node SDK.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { SandboxHandle } from '../../server/start-sandbox';
import { contentTypeOf } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, fixture, fixturePath } from '../helpers/fixtures';
import { TEST_KEY, TEST_NOW, testSandbox } from '../helpers/test-sandbox';
import { requireProgram, runProgram } from './run-client';

const EDITS = '/v1/images/edits';
const SCRIPT = path.join(__dirname, 'python_sdk_edit.py');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type FileParam = { path: string; open: true } | { path: string; filename: string; content_type: string };
interface PythonReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  sent: { content_type: string; parts: Array<{ name: string; filename: string | null; content_type: string | null }> };
}

/** `open('x.png', 'rb')`, as the SDK's own examples pass files. */
const opened = (name: string): FileParam => ({ path: fixturePath(name), open: true });
/** `('x.png', bytes, 'image/png')`, the SDK's tuple form. */
const tuple = (name: string): FileParam => ({ path: fixturePath(name), filename: name, content_type: contentTypeOf(name) });
const sdkFile = (name: string) => toFile(fixture(name), name, { type: contentTypeOf(name) });

describe('Python httpx, encoding like the official Python SDK', () => {
  let python: string;
  let sandbox: SandboxHandle;
  let sdk: OpenAI;

  beforeAll(async () => {
    // Debian's python3-httpx installs into the system python, which may not be first on PATH.
    python = requireProgram(['python3', '/usr/bin/python3'], ['-c', 'import httpx'], 'apt-get install -y python3-httpx');
    sandbox = await testSandbox();
    sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => sandbox?.close());

  async function pythonEdit(params: Record<string, unknown>): Promise<PythonReply> {
    const request = JSON.stringify({ base_url: `${sandbox.url}/v1`, api_key: TEST_KEY, params });
    const result = await runProgram(python, [SCRIPT], request);
    if (result.code !== 0) throw new Error(`python3 ${SCRIPT} exited with ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout.toString('utf8')) as PythonReply;
  }

  it('sends a list of images as image[] with typed file parts, and gets the bytes the Node SDK gets', async () => {
    const reply = await pythonEdit({
      image: [tuple('scene-512.png'), tuple('scene-512.webp')],
      mask: tuple('mask-512.png'),
      prompt: 'add a red rose',
      model: 'gpt-image-1',
      n: 1,
      quality: 'low',
      output_format: 'webp',
      output_compression: 80,
      stream: false,
      user: null,
    });
    expect(reply.sent.content_type).toMatch(/^multipart\/form-data; boundary=\S+$/);
    expect(reply.sent.parts).toEqual([
      { name: 'prompt', filename: null, content_type: null },
      { name: 'model', filename: null, content_type: null },
      { name: 'n', filename: null, content_type: null },
      { name: 'quality', filename: null, content_type: null },
      { name: 'output_format', filename: null, content_type: null },
      { name: 'output_compression', filename: null, content_type: null },
      { name: 'stream', filename: null, content_type: null },
      { name: 'image[]', filename: 'scene-512.png', content_type: 'image/png' },
      { name: 'image[]', filename: 'scene-512.webp', content_type: 'image/webp' },
      { name: 'mask', filename: 'mask-512.png', content_type: 'image/png' },
    ]);
    expect(reply.status).toBe(200);
    expectToMatchSpec(reply, EDITS);
    const body = reply.body as { created: number; output_format: string; data: Array<{ b64_json: string }>; usage: unknown };
    expect(body).toMatchObject({ created: TEST_NOW, output_format: 'webp', quality: 'low' });

    const viaNode = await sdk.images.edit({
      image: [await sdkFile('scene-512.png'), await sdkFile('scene-512.webp')],
      mask: await sdkFile('mask-512.png'),
      prompt: 'add a red rose',
      model: 'gpt-image-1',
      n: 1,
      quality: 'low',
      output_format: 'webp',
      output_compression: 80,
      stream: false,
    });
    expect(body.usage).toEqual(viaNode.usage);
    expect(sha256(Buffer.from(body.data[0]!.b64_json, 'base64'))).toBe(sha256(Buffer.from(viaNode.data![0]!.b64_json!, 'base64')));
  }, 90_000);

  it('sends one open file as image, typed from its name, and gets a dall-e-2 url', async () => {
    const reply = await pythonEdit({ image: opened('scene-rgba-256.png'), prompt: 'a sunlit pool', model: 'dall-e-2', size: '256x256', n: 2 });
    expect(reply.sent.parts.filter((p) => p.filename !== null)).toEqual([{ name: 'image', filename: 'scene-rgba-256.png', content_type: 'image/png' }]);
    expect(reply.status).toBe(200);
    expectToMatchSpec(reply, EDITS);
    const urls = (reply.body as { data: Array<{ url: string }> }).data.map((d) => d.url);
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      const png = decodePng(Buffer.from(await (await fetch(url)).arrayBuffer()));
      expect([png.width, png.height]).toEqual([256, 256]);
    }
  });

  it("sends stream=True as 'true' and reads server-sent events back", async () => {
    const reply = await pythonEdit({ image: tuple('scene-512.png'), prompt: 'x', model: 'gpt-image-1', quality: 'low', stream: true, partial_images: 1 });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = String(reply.body).match(/^event: \S+/gm);
    expect(events).toEqual(['event: image_edit.partial_image', 'event: image_edit.completed']);
  });

  it.each([
    { field: 'image', value: 'a dall-e-2 list of one file', params: { image: [tuple('scene-rgba-256.png')], prompt: 'x', model: 'dall-e-2' }, status: 400, type: 'invalid_request_error', param: 'image', code: 'invalid_type', message: "Invalid type for 'image': expected a file, but got an array instead." },
    { field: 'prompt', value: 'not given', params: { image: tuple('scene-512.png'), model: 'gpt-image-1', prompt: null }, status: 400, type: 'invalid_request_error', param: 'prompt', code: 'missing_required_parameter', message: "Missing required parameter: 'prompt'." },
  ])('answers $field=$value with $status $code', async ({ params, status, type, param, code, message }) => {
    const reply = await pythonEdit(params);
    expect(reply.status).toBe(status);
    expectToMatchSpec(reply, EDITS);
    expect(reply.body).toEqual({ error: { type, param, code, message } });
    expect(reply.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });
});
