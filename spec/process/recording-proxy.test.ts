/**
 * The recording proxy and replay, with a second sandbox process as the upstream (profile
 * `openai`, another seed, events 1.5 s apart), so that what the proxy answers is visibly the
 * upstream's: it forwards edits and Files calls with the client's key, flags what breaks
 * openapi.yaml, records every exchange (and the key nowhere), relays a stream as it arrives,
 * and a sandbox replaying the cassette answers byte for byte what the proxy answered; the
 * official `openai` SDK is one of the clients, through the proxy and against the replay.
 */
import fs from 'node:fs';
import OpenAI, { toFile } from 'openai';
import os from 'node:os';
import path from 'node:path';
import { SseReader } from '../helpers/read-sse';
import { expectEventToMatchSpec, expectToMatchSchema, expectToMatchSpec, testContract } from '../helpers/expect-to-match-spec';
import { decodePng, fixture } from '../helpers/fixtures';
import { editForm, rawAnswer, send, type RawAnswer } from '../helpers/raw-exchange';
import { TEST_NOW, testSandbox } from '../helpers/test-sandbox';
import type { SandboxHandle } from '../../server/start-sandbox';
import { builtServer } from './build-dist';
import { listeningUrl, runSandbox, type SandboxProcess } from './sandbox-process';

jest.setTimeout(240_000);

/** The client's key: it must reach the upstream and be written nowhere. */
const KEY = 'sk-proj-recording-0123456789abcdefXYZ';
const SECRET_PART = '0123456789abcdefXYZ';

let upstream: SandboxProcess;
let upstreamUrl: string;
let proxy: SandboxProcess;
let proxyUrl: string;
let root: string;
let cassette: string;

/** What the client received through the proxy, by case: replay must give the same bytes. */
const seen = new Map<string, RawAnswer>();
/** What the SDK received through the proxy. */
let sdkEdit: OpenAI.ImagesResponse | undefined;

const EDIT = { model: 'gpt-image-2', prompt: 'add a red rose', quality: 'low' };

beforeAll(async () => {
  const buildDir = await builtServer();
  upstream = runSandbox(buildDir, ['--port', '0'], { SANDBOX_PROFILE: 'openai', SANDBOX_SEED: 'upstream', SANDBOX_NOW: String(TEST_NOW), SANDBOX_STREAM_INTERVAL_MS: '1500' });
  upstreamUrl = await listeningUrl(upstream);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cassette-'));
  cassette = path.join(root, 'cassette');
  // Debug logging: the most a log ever says, and still never the key.
  proxy = runSandbox(buildDir, ['--port', '0', '--upstream', `${upstreamUrl}/v1`, '--record', cassette], { SANDBOX_LOG_LEVEL: 'debug', SANDBOX_SEED: 'proxy', SANDBOX_NOW: String(TEST_NOW) });
  proxyUrl = await listeningUrl(proxy);
});

afterAll(async () => {
  for (const child of [proxy, upstream]) {
    child?.child.kill('SIGTERM');
    await child?.exited;
  }
  fs.rmSync(root, { recursive: true, force: true });
});

/** Sends through the proxy, and keeps the answer for the replay test. */
async function throughProxy(name: string, pathAndQuery: string, options: Parameters<typeof send>[1] = {}): Promise<RawAnswer> {
  const answer = await send(`${proxyUrl}${pathAndQuery}`, { key: KEY, ...options });
  seen.set(name, answer);
  return answer;
}

async function upstreamJournal(): Promise<Array<{ id: string; state: string; stream: boolean; status: number }>> {
  return ((await (await fetch(`${upstreamUrl}/__sandbox/requests`)).json()) as { data: Array<{ id: string; state: string; stream: boolean; status: number }> }).data;
}

async function proxyJournal(): Promise<Array<Record<string, unknown>>> {
  const list = (await (await fetch(`${proxyUrl}/__sandbox/requests`)).json()) as { data: Array<Record<string, unknown>> };
  expectToMatchSpec({ status: 200, body: list }, '/__sandbox/requests', 'get');
  return list.data;
}

describe('the recording proxy', () => {
  it('forwards an edit to the upstream and answers what the upstream answered, with the exchange named', async () => {
    const answer = await throughProxy('edit', '/v1/images/edits', { body: editForm(EDIT) });
    expect(answer.status).toBe(200);
    expectToMatchSpec({ status: answer.status, body: answer.json() }, '/v1/images/edits');
    // The upstream's own request id: the upstream answered it.
    expect((await upstreamJournal()).map((entry) => entry.id)).toContain(answer.headers.get('x-request-id'));
    expect(answer.headers.get('x-sandbox-violations')).toBeNull();
    expect(answer.headers.get('x-sandbox-exchange')).toMatch(/^0001-post-images-edits$/);
    const entry = (await proxyJournal()).at(-1)!;
    expect(entry).toMatchObject({ answered_by: 'upstream', exchange: '0001-post-images-edits', violations: [], status: 200, usage: answer.json().usage });
    expect(entry.outputs).toEqual([expect.objectContaining({ index: 0, format: 'png' })]);
    expect(entry.response).toEqual({
      headers: expect.objectContaining({ 'content-type': answer.headers.get('content-type'), 'x-request-id': answer.headers.get('x-request-id') }),
      body: { ...answer.json<object>(), data: [{ b64_json: { $image: { kind: 'outputs', index: 0 } } }] },
      events: null,
    });
  });

  it("answers with the upstream's rules, not its own: no model is the openai profile's 400", async () => {
    const answer = await throughProxy('no-model', '/v1/images/edits', { body: editForm({ prompt: 'add a red rose' }) });
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ error: { message: "Missing required parameter: 'model'.", type: 'invalid_request_error', param: 'model', code: 'missing_required_parameter' } });
  });

  it('flags a request that breaks openapi.yaml in x-sandbox-violations and the journal, and still forwards it', async () => {
    const answer = await throughProxy('n-zero', '/v1/images/edits', { body: editForm({ ...EDIT, n: 0 }) });
    expect(answer.status).toBe(400);
    expect(answer.json<{ error: { code: string } }>().error.code).toBe('integer_below_min_value');
    const violations = JSON.parse(answer.headers.get('x-sandbox-violations') ?? '[]') as unknown[];
    for (const violation of violations) expectToMatchSchema(violation, 'Violation');
    expect(violations).toEqual([{ location: ['request', 'body', 'n'], severity: 'error', code: 'minimum', message: 'request body n must be >= 1' }]);
    expect((await proxyJournal()).at(-1)!.violations).toEqual(violations);
  });

  it('relays a stream event by event: the first event arrives while the upstream is still streaming', async () => {
    const response = await fetch(`${proxyUrl}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: editForm({ ...EDIT, stream: true, partial_images: 2 }) });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const reader = response.body!.getReader();
    const sse = new SseReader();
    const decoder = new TextDecoder();
    const chunks: Buffer[] = [];
    const events: Array<{ event: string | null; data: string }> = [];
    while (events.length === 0) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before its first event');
      chunks.push(Buffer.from(value));
      events.push(...sse.push(decoder.decode(value, { stream: true })));
    }
    // The upstream spaces its events 1.5 s apart: its request is still open after the first.
    const inUpstream = (await upstreamJournal()).find((entry) => entry.id === requestId);
    expect(inUpstream).toMatchObject({ state: 'in_flight', stream: true });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      events.push(...sse.push(decoder.decode(value, { stream: true })));
    }
    expect(events.map((event) => event.event)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    for (const event of events) expectEventToMatchSpec({ event: event.event, data: JSON.parse(event.data) }, '/v1/images/edits');
    seen.set('stream', rawAnswer(200, response.headers, Buffer.concat(chunks)));
    expect((await upstreamJournal()).find((entry) => entry.id === requestId)).toMatchObject({ state: 'complete', status: 200 });
    const entry = (await proxyJournal()).at(-1)!;
    expect(entry).toMatchObject({ stream: true, answered_by: 'upstream', violations: [], outputs: [expect.objectContaining({ format: 'png' })], partials: [expect.objectContaining({ index: 0, format: 'png' }), expect.objectContaining({ index: 1, format: 'png' })] });
    // Each event when it passed, its image a reference to the kept bytes.
    const received = (entry.response as { events: Array<{ event: string; at_ms: number; data: { b64_json: unknown } }> }).events;
    expect(received.map((event) => [event.event, event.data.b64_json])).toEqual([
      ['image_edit.partial_image', { $image: { kind: 'partials', index: 0 } }],
      ['image_edit.partial_image', { $image: { kind: 'partials', index: 1 } }],
      ['image_edit.completed', { $image: { kind: 'outputs', index: 0 } }],
    ]);
    expect(received[2]!.at_ms - received[0]!.at_ms).toBeGreaterThan(2000);
  });

  it('forwards Files calls: an upload the upstream keeps, and a JSON edit of it by file_id', async () => {
    const form = new FormData();
    form.append('purpose', 'vision');
    form.append('file', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'scene.png');
    const upload = await throughProxy('upload', '/v1/files', { body: form });
    expect(upload.status).toBe(200);
    const id = upload.json<{ id: string }>().id;
    expect((await send(`${upstreamUrl}/v1/files/${id}`)).status).toBe(200);
    const edit = await throughProxy('by-file-id', '/v1/images/edits', { body: { model: 'gpt-image-2', prompt: 'add a red rose', quality: 'low', images: [{ file_id: id }] } });
    expect(edit.status).toBe(200);
    const listed = await throughProxy('list', '/v1/files?purpose=vision');
    expect(listed.json<{ data: Array<{ id: string }> }>().data.map((file) => file.id)).toEqual([id]);
    const upstreamEntries = await upstreamJournal();
    expect(upstreamEntries.at(-1)).toMatchObject({ status: 200 });
  });

  it('serves the official openai SDK as the live API would: an edit, a stream relayed event by event as the upstream sends it, and an error as the SDK raises it', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: `${proxyUrl}/v1`, maxRetries: 0 });
    const image = () => toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' });
    const result = await client.images.edit({ model: 'gpt-image-2', image: await image(), prompt: 'add a white lily', quality: 'low', size: '1024x1536' });
    expectToMatchSchema(result, 'ImagesResponse');
    sdkEdit = result;
    const decoded = decodePng(Buffer.from(result.data![0]!.b64_json!, 'base64'));
    expect([decoded.width, decoded.height]).toEqual([1024, 1536]);

    const stream = await client.images.edit({ model: 'gpt-image-2', image: await image(), prompt: 'add a white lily', quality: 'low', stream: true, partial_images: 1 });
    const arrivals: Array<{ type: string; at: number }> = [];
    for await (const event of stream) {
      expectEventToMatchSpec({ event: event.type, data: event }, '/v1/images/edits');
      arrivals.push({ type: event.type, at: Date.now() });
    }
    expect(arrivals.map((event) => event.type)).toEqual(['image_edit.partial_image', 'image_edit.completed']);
    // The upstream sends them 1.5 s apart, and the SDK receives them so: nothing waits for the whole stream.
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThan(1000);

    const error = await client.images.edit({ image: await image(), prompt: 'add a white lily' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'model', code: 'missing_required_parameter' });
    expect((await proxyJournal()).slice(-3).map((entry) => [entry.answered_by, entry.status, entry.violations])).toEqual([
      ['upstream', 200, []],
      ['upstream', 200, []],
      ['upstream', 400, []],
    ]);
  });

  it('has recorded every exchange as files (images kept as images), and the key is in no file, no journal entry and no log line', async () => {
    const folders = fs.readdirSync(cassette).sort();
    expect(folders).toEqual(['0001-post-images-edits', '0002-post-images-edits', '0003-post-images-edits', '0004-post-images-edits', '0005-post-files', '0006-post-images-edits', '0007-get-files', '0008-post-images-edits', '0009-post-images-edits', '0010-post-images-edits']);
    const validate = testContract().validator('/components/schemas/CassetteExchange');
    for (const folder of folders) {
      const exchange = JSON.parse(fs.readFileSync(path.join(cassette, folder, 'exchange.json'), 'utf8')) as Record<string, unknown>;
      expect(validate(exchange) ? [] : validate.errors).toEqual([]);
    }
    const first = JSON.parse(fs.readFileSync(path.join(cassette, folders[0]!, 'exchange.json'), 'utf8')) as {
      request: { headers: Record<string, string>; body: { parts: Array<{ name: string; value?: string; file?: string }> } };
      response: { status: number; body: { file: string; images: string[] } };
    };
    expect(first.request.headers.authorization).toBe('Bearer sk-…redacted');
    const imagePart = first.request.body.parts.find((part) => part.name === 'image')!;
    expect(fs.readFileSync(path.join(cassette, folders[0]!, imagePart.file!)).equals(fixture('scene-512.png'))).toBe(true);
    expect(first.request.body.parts.filter((part) => part.value !== undefined)).toEqual([
      { name: 'model', value: 'gpt-image-2' },
      { name: 'prompt', value: 'add a red rose' },
      { name: 'quality', value: 'low' },
    ]);
    expect(first.response.body).toEqual({ file: 'response-body.json', images: ['response-image-0.png'] });
    expect(fs.readFileSync(path.join(cassette, folders[0]!, 'response-body.json'), 'utf8')).toContain('"b64_json":"@file:response-image-0.png"');
    const image = fs.readFileSync(path.join(cassette, folders[0]!, 'response-image-0.png'));
    expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
    // The stream: its events kept as sent, each image a file.
    const stream = JSON.parse(fs.readFileSync(path.join(cassette, '0004-post-images-edits', 'exchange.json'), 'utf8')) as { response: { body: { file: string; images: string[] } } };
    expect(stream.response.body).toEqual({ file: 'response-body.sse', images: ['response-image-0.png', 'response-image-1.png', 'response-image-2.png'] });

    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
    const holding = files(cassette).filter((file) => fs.readFileSync(file).includes(SECRET_PART));
    expect(holding).toEqual([]);
    expect(JSON.stringify(await proxyJournal())).not.toContain(SECRET_PART);
    expect(proxy.stdout() + proxy.stderr()).not.toContain(SECRET_PART);
    expect(proxy.stdout()).toMatch(/POST \/v1\/images\/edits 200/);
  });
});

describe('replay of the recorded cassette', () => {
  let replay: SandboxHandle;
  beforeAll(async () => {
    replay = await testSandbox({ replayDir: cassette });
  });
  afterAll(() => replay.close());

  it('answers each recorded request byte for byte as the proxy did, JSON and stream alike', async () => {
    const again = async (pathAndQuery: string, options: Parameters<typeof send>[1]) => send(`${replay.url}${pathAndQuery}`, { key: 'sk-another-key-entirely', ...options });
    const cases: Array<[string, Promise<RawAnswer>]> = [
      ['edit', again('/v1/images/edits', { body: editForm(EDIT) })],
      ['no-model', again('/v1/images/edits', { body: editForm({ prompt: 'add a red rose' }) })],
      ['n-zero', again('/v1/images/edits', { body: editForm({ ...EDIT, n: 0 }) })],
      ['stream', again('/v1/images/edits', { body: editForm({ ...EDIT, stream: true, partial_images: 2 }) })],
      ['list', again('/v1/files?purpose=vision', {})],
    ];
    for (const [name, pending] of cases) {
      const answer = await pending;
      const recorded = seen.get(name)!;
      expect({ name, status: answer.status }).toEqual({ name, status: recorded.status });
      expect({ name, same: answer.bytes.equals(recorded.bytes) }).toEqual({ name, same: true });
      expect(answer.headers.get('content-type')).toBe(recorded.headers.get('content-type'));
      expect(answer.headers.get('x-request-id')).toBe(recorded.headers.get('x-request-id'));
      expect(answer.headers.get('x-sandbox-exchange')).toMatch(/^\d{4}-/);
    }
    expect((await again('/v1/images/edits', { body: editForm({ ...EDIT, n: 0 }) })).headers.get('x-sandbox-violations')).toBe(seen.get('n-zero')!.headers.get('x-sandbox-violations'));
    const entry = (await replay.namespace().journal()).at(-1)!;
    expect(entry).toMatchObject({ answered_by: 'cassette', exchange: '0003-post-images-edits', violations: [expect.objectContaining({ code: 'minimum' })] });
    const streamed = (await replay.namespace().journal()).find((e) => e.exchange === '0004-post-images-edits')!;
    expect(streamed.response!.events!.map((event) => event.event)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    expect([streamed.partials.length, streamed.outputs.length]).toEqual([2, 1]);
  });

  it('replays an upload and an edit by its recorded file_id as one session', async () => {
    const form = new FormData();
    form.append('purpose', 'vision');
    form.append('file', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'renamed.png');
    const upload = await send(`${replay.url}/v1/files`, { body: form });
    expect(upload.bytes.equals(seen.get('upload')!.bytes)).toBe(true);
    const id = upload.json<{ id: string }>().id;
    const edit = await send(`${replay.url}/v1/images/edits`, { body: { images: [{ file_id: id }], quality: 'low', prompt: 'add a red rose', model: 'gpt-image-2' } });
    expect(edit.bytes.equals(seen.get('by-file-id')!.bytes)).toBe(true);
  });

  it('gives the SDK what it got through the proxy', async () => {
    const client = new OpenAI({ apiKey: 'sk-another-key-entirely', baseURL: `${replay.url}/v1`, maxRetries: 0 });
    const image = await toFile(fixture('scene-512.png'), 'another-name.png', { type: 'image/png' });
    expect(sdkEdit).toBeDefined();
    expect(await client.images.edit({ model: 'gpt-image-2', image, prompt: 'add a white lily', quality: 'low', size: '1024x1536' })).toEqual(sdkEdit);
  });

  it('answers a request the cassette does not hold with the 404 replay_miss, or with SANDBOX_REPLAY_MISS=generate the sandbox answers', async () => {
    const miss = await send(`${replay.url}/v1/images/edits`, { body: editForm({ ...EDIT, prompt: 'a prompt never recorded' }) });
    expect(miss.status).toBe(404);
    expectToMatchSpec({ status: 404, body: miss.json() }, '/v1/images/edits');
    expect(miss.json()).toEqual({ error: { message: expect.stringMatching(/^The cassette has no exchange for POST \/v1\/images\/edits with replay key [0-9a-f]{16}…: record it/), type: 'invalid_request_error', param: null, code: 'replay_miss' } });
    const generating = await testSandbox({ replayDir: cassette, replayMiss: 'generate' });
    try {
      const generated = await send(`${generating.url}/v1/images/edits`, { body: editForm({ ...EDIT, prompt: 'a prompt never recorded' }) });
      expect(generated.status).toBe(200);
      expect(generated.headers.get('x-sandbox-exchange')).toBeNull();
      expect((await generating.namespace().journal()).at(-1)).toMatchObject({ answered_by: 'sandbox', exchange: null });
    } finally {
      await generating.close();
    }
  });

  it('refuses a cassette it cannot use when it starts, naming the file and the problem', async () => {
    const broken = path.join(root, 'broken');
    fs.cpSync(cassette, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, '0002-post-images-edits', 'exchange.json'), '{"version": 2}');
    await expect(testSandbox({ replayDir: broken })).rejects.toThrow(/^0002-post-images-edits\/exchange\.json is not a recorded exchange: /);
    fs.rmSync(path.join(broken, '0002-post-images-edits', 'exchange.json'));
    fs.rmSync(path.join(broken, '0001-post-images-edits', 'response-image-0.png'));
    fs.rmSync(path.join(broken, '0002-post-images-edits'), { recursive: true });
    await expect(testSandbox({ replayDir: broken })).rejects.toThrow('0001-post-images-edits/response-image-0.png is missing (0001-post-images-edits/exchange.json names it)');
    await expect(testSandbox({ replayDir: path.join(root, 'nowhere') })).rejects.toThrow(/nowhere is not a cassette directory/);
  });
});
