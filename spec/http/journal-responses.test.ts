/**
 * What the journal says the client received: response headers, the JSON body with images as
 * references to the kept outputs, a stream's events in order with their partial images, and
 * one consistent 499 (status, error, response) when the client left first: an upload cut off
 * mid-body, a request held until the client gave up, a stream dropped after its first event.
 */
import http from 'node:http';
import request from 'supertest';
import type { SandboxHandle } from '../../server/start-sandbox';
import type { JournalEntry } from '../../server/stores/journal-record';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { readJsonEvents, SseReader } from '../helpers/read-sse';
import { TEST_KEY, testApp, testSandbox } from '../helpers/test-sandbox';

const ONE = '/__sandbox/requests/{id}';
const ref = (kind: 'outputs' | 'partials', index: number) => ({ $image: { kind, index } });
const binary = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** The entry once its response has closed (the journal commits on close, just after the client has its answer). */
async function completed(read: () => Promise<JournalEntry | undefined>): Promise<JournalEntry> {
  for (let i = 0; i < 200; i++) {
    const entry = await read();
    if (entry?.state === 'complete') return entry;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the entry never completed');
}

describe('the journal records what the client received', () => {
  const { app } = testApp();
  const entryOf = async (id: string) => {
    const res = await request(app).get(`/__sandbox/requests/${id}`);
    expectToMatchSpec(res, ONE, 'get');
    return res.body as JournalEntry;
  };

  it('keeps a JSON answer: its headers, and its body with each image a reference to the kept output', async () => {
    const res = await postEdit(app, { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', n: 2 });
    expect(res.status).toBe(200);
    const id = String(res.headers['x-request-id']);
    const entry = await completed(() => entryOf(id));
    expect(entry.response!.headers).toEqual({
      'content-type': res.headers['content-type'],
      'x-request-id': id,
      'openai-version': res.headers['openai-version'],
      'openai-processing-ms': res.headers['openai-processing-ms'],
    });
    const sent = res.body as { data: { b64_json: string }[] };
    expect(entry.response!.body).toEqual({ ...sent, data: [ref('outputs', 0), ref('outputs', 1)].map((b64_json) => ({ b64_json })) });
    expect(entry.response!.events).toBeNull();
    for (const [i, item] of sent.data.entries()) {
      const kept = await binary(request(app).get(entry.outputs[i]!.url!));
      expect((kept.body as Buffer).equals(Buffer.from(item.b64_json, 'base64'))).toBe(true);
    }
  });

  it('keeps a url answer as sent: the returned data[].url', async () => {
    const res = await postEdit(app, { prompt: 'a cat', model: 'dall-e-2', size: '256x256', response_format: 'url' }, [{ name: 'scene-rgba-256.png' }]);
    const entry = await completed(() => entryOf(String(res.headers['x-request-id'])));
    expect(entry.response!.body).toEqual(res.body);
    expect((res.body as { data: { url: string }[] }).data[0]!.url).toMatch(/\/__sandbox\/files\/img-/);
  });

  it('keeps an error answer: the envelope sent and the headers a retry reads (retry-after, x-ratelimit-*)', async () => {
    const res = await postEdit(app, { prompt: 'slow down', model: 'gpt-image-1' }).set('x-sandbox-scenario', 'rate_limit');
    expect(res.status).toBe(429);
    const entry = await completed(() => entryOf(String(res.headers['x-request-id'])));
    expect(entry.response!.body).toEqual(res.body);
    const headers = entry.response!.headers;
    expect(headers['retry-after']).toBe(res.headers['retry-after']);
    expect(headers['retry-after-ms']).toBe(res.headers['retry-after-ms']);
    const rateLimits = Object.keys(res.headers).filter((name) => name.startsWith('x-ratelimit-'));
    expect(rateLimits.length).toBeGreaterThan(0);
    for (const name of rateLimits) expect(headers[name]).toBe(res.headers[name]);
    expect(entry.error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
  });

  it('keeps a stream: every event in order with its time, each partial image kept and served, the completed image as the output', async () => {
    const res = await postEdit(app, { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', stream: 'true', partial_images: 2 });
    const received = readJsonEvents(res.text);
    const entry = await completed(() => entryOf(String(res.headers['x-request-id'])));
    const events = entry.response!.events!;
    expect(events.map((e) => e.event)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    const times = events.map((e) => e.at_ms);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]).toBeGreaterThan(0);
    expect(events.map((e) => e.data)).toEqual([
      { ...received[0]!.data, b64_json: ref('partials', 0) },
      { ...received[1]!.data, b64_json: ref('partials', 1) },
      { ...received[2]!.data, b64_json: ref('outputs', 0) },
    ]);
    expect(entry.response!.body).toBeNull();
    expect(entry.partials.map((p) => p.index)).toEqual([0, 1]);
    const kept = [...entry.partials, ...entry.outputs];
    for (const [i, item] of kept.entries()) {
      const served = await binary(request(app).get(item.url!));
      expect(served.headers['content-type']).toBe('image/png');
      expect((served.body as Buffer).equals(Buffer.from(String(received[i]!.data.b64_json), 'base64'))).toBe(true);
    }
  });

  it('answers a partial image it does not keep with the usual 404', async () => {
    const res = await postEdit(app, { prompt: 'no stream', size: '7x7' });
    const missing = await request(app).get(`/__sandbox/requests/${String(res.headers['x-request-id'])}/partials/0`);
    expectToMatchSpec(missing, '/__sandbox/requests/{id}/partials/{index}', 'get');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'file_not_found' });
  });
});

describe('a client that leaves first is one consistent 499', () => {
  let sandbox: SandboxHandle;
  const host = () => new URL(sandbox.url);

  beforeAll(async () => {
    // Long spacing between stream events: the client leaves well before the completed event.
    sandbox = await testSandbox({ streamIntervalMs: 30_000, maxLatencyMs: 30_000 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const entryById = async (id: string) => (await sandbox.namespace().journal()).find((e) => e.id === id);
  const onlyNew = async (before: number) => completed(async () => (await sandbox.namespace().journal())[before]);

  it('an upload cut off mid-body: 499 in the status, the error and the response, nothing answered', async () => {
    const before = (await sandbox.namespace().journal()).length;
    const image = fixture('scene-512.png');
    const boundary = 'cut-off-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\na rose\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="scene.png"\r\nContent-Type: image/png\r\n\r\n`;
    await new Promise<void>((resolve) => {
      const req = http.request({ hostname: host().hostname, port: host().port, path: '/v1/images/edits', method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + image.length + 100) } });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(head);
      req.write(image.subarray(0, 1000), () => setTimeout(() => req.destroy(), 100));
    });
    const entry = await onlyNew(before);
    expect(entry).toMatchObject({
      status: 499,
      error: { status: 499, code: 'client_closed_request', message: 'The client closed the connection while it was still sending the request body, so it did not receive the whole answer.' },
      response: { headers: {}, body: null, events: null },
    });
  });

  it('a stream dropped after its first event: that event and its partial only, no completed image', async () => {
    const before = (await sandbox.namespace().journal()).length;
    const image = fixture('scene-512.png');
    const boundary = 'stream-boundary';
    const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(field('prompt', 'add a red rose') + field('model', 'gpt-image-1') + field('quality', 'low') + field('stream', 'true') + field('partial_images', '2')),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="scene.png"\r\nContent-Type: image/png\r\n\r\n`),
      image,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const firstEvent = await new Promise<string>((resolve, reject) => {
      const req = http.request({ hostname: host().hostname, port: host().port, path: '/v1/images/edits', method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
        const reader = new SseReader();
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          const [event] = reader.push(text);
          if (event) {
            req.destroy();
            resolve(event.event ?? '');
          }
        });
      });
      req.on('error', (err) => (err.message.includes('socket hang up') || err.message.includes('aborted') ? undefined : reject(err)));
      req.end(body);
    });
    expect(firstEvent).toBe('image_edit.partial_image');
    const entry = await onlyNew(before);
    expect(entry).toMatchObject({ status: 499, stream: true, error: { code: 'client_closed_request', message: 'The client closed the connection after 1 stream event, before the stream ended, so it did not receive the whole answer.' } });
    expect(entry.response!.events!.map((e) => e.event)).toEqual(['image_edit.partial_image']);
    expect(entry.response!.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(entry.partials).toHaveLength(1);
    expect(entry.outputs).toEqual([]);
    expect(await entryById(entry.id)).toEqual(entry);
  });
});
