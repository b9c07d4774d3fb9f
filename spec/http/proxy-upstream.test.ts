/**
 * The recording proxy against a tiny local upstream that answers what openapi.yaml forbids:
 * every departure is flagged (in `x-sandbox-violations` and the journal), the answer is still
 * passed on as it came (and journaled as received), the client's headers go through but the sandbox's own controls do
 * not, a redirect is never followed, and an upstream that cannot be reached or breaks off is
 * a clear 502 (or, mid-stream, an `error` event).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { expectToMatchSchema, expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { postEdit } from '../helpers/edit-request';
import { readJsonEvents } from '../helpers/read-sse';
import { journalEntries, TEST_KEY, testApp } from '../helpers/test-sandbox';
import { freePort } from '../helpers/free-port';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

let upstream: http.Server;
let upstreamUrl: string;
const seen: Seen[] = [];

/** Answers each request by what its body asks for, each time outside the contract. */
function answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
  const field = (name: string) => new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)`).exec(body)?.[1];
  if (req.url === '/v1/files') {
    res.writeHead(418, { 'content-type': 'application/json' }).end('{"error":{"message":"I am a teapot","type":"teapot","param":null,"code":null}}');
    return;
  }
  const prompt = field('prompt');
  if (prompt === 'redirect') {
    res.writeHead(307, { location: 'http://127.0.0.1:1/v1/images/edits' }).end();
    return;
  }
  if (prompt === 'cut short') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
    res.write('{"created":');
    setTimeout(() => res.destroy(), 20);
    return;
  }
  if (field('stream') === 'true') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    // Named partial, typed completed, and missing everything else; then data that is not JSON.
    res.write('event: image_edit.partial_image\ndata: {"type":"image_edit.completed","b64_json":"AAAA"}\n\n');
    if (prompt === 'break off') {
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end('event: image_edit.completed\ndata: not json\n\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'not-a-request-id' });
  res.end('{"created":"yesterday","data":[{"b64_json":7}],"surprise":true}');
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      answer(req, Buffer.concat(chunks).toString('latin1'), res);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

/** A port nothing listens on: one the system just handed out and took back. */

afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const violationsOf = (res: request.Response) => {
  const list = JSON.parse(String(res.headers['x-sandbox-violations'] ?? '[]')) as Array<{ location: string[]; code: string; message: string }>;
  for (const item of list) expectToMatchSchema(item, 'Violation');
  return list;
};

describe('the recording proxy in front of an upstream that breaks the contract', () => {
  it('passes the answer on as it came and flags each departure, in the header and the journal', async () => {
    const { app, stores } = testApp({ upstream: upstreamUrl });
    const res = await postEdit(app, { model: 'gpt-image-2', prompt: 'a rose' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"created":"yesterday","data":[{"b64_json":7}],"surprise":true}');
    const violations = violationsOf(res);
    expect(violations.map((v) => [v.location.join('.'), v.code])).toEqual([
      ['response.headers.x-request-id', 'pattern'],
      ['response.body.surprise', 'additionalProperties'],
      ['response.body.created', 'type'],
      ['response.body.data.0.b64_json', 'type'],
    ]);
    expect(violations[2]!.message).toBe('response body created must be integer');
    const [entry] = await journalEntries(stores);
    expect(entry).toMatchObject({ answered_by: 'upstream', exchange: null, status: 200, violations, outputs: [], usage: null });
    // The journal's response is the body as the client received it.
    expect(entry!.response).toEqual({ headers: expect.objectContaining({ 'content-type': 'application/json' }), body: { created: 'yesterday', data: [{ b64_json: 7 }], surprise: true }, events: null });
  });

  it('flags an undocumented status', async () => {
    const { app } = testApp({ upstream: upstreamUrl });
    const res = await request(app).get('/v1/files').set('authorization', `Bearer ${TEST_KEY}`);
    expect(res.status).toBe(418);
    expect(violationsOf(res)).toEqual([{ location: ['response', 'status'], severity: 'error', code: 'undocumented_status', message: 'response status 418 is not documented for GET /v1/files' }]);
  });

  it('checks each streamed event as it passes: in the journal, since the headers are gone by then', async () => {
    const { app, stores } = testApp({ upstream: upstreamUrl });
    const res = await postEdit(app, { model: 'gpt-image-2', prompt: 'a rose', stream: true });
    expect(res.status).toBe(200);
    expect(res.text).toBe('event: image_edit.partial_image\ndata: {"type":"image_edit.completed","b64_json":"AAAA"}\n\nevent: image_edit.completed\ndata: not json\n\n');
    expect(res.headers['x-sandbox-violations']).toBeUndefined();
    const [entry] = await journalEntries(stores);
    const found = entry!.violations.map((v) => [v.location.join('.'), v.code]);
    expect(found).toContainEqual(['response.events.0.event', 'event_name']);
    expect(found).toContainEqual(['response.events.0.data.created_at', 'required']);
    expect(found).toContainEqual(['response.events.1.data', 'invalid_json']);
    // As the client received them: the image kept and referenced, data that is not JSON as its text.
    expect(entry!.response!.events).toEqual([
      { event: 'image_edit.partial_image', at_ms: expect.any(Number), data: { type: 'image_edit.completed', b64_json: { $image: { kind: 'outputs', index: 0 } } } },
      { event: 'image_edit.completed', at_ms: expect.any(Number), data: { $data: 'not json' } },
    ]);
    expect(entry!.outputs).toEqual([expect.objectContaining({ index: 0, format: 'unknown', bytes: 3 })]);
  });

  it("forwards the client's key and headers but none of the sandbox's controls, and asks for the body uncompressed", async () => {
    const { app } = testApp({ upstream: upstreamUrl });
    seen.length = 0;
    await postEdit(app, { model: 'gpt-image-2', prompt: 'a rose' }).set('x-sandbox-namespace', 'worker-1').set('openai-organization', 'org-test').set('accept-encoding', 'gzip');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/images/edits' });
    expect(seen[0]!.headers).toMatchObject({ authorization: `Bearer ${TEST_KEY}`, 'openai-organization': 'org-test', 'accept-encoding': 'identity' });
    expect(seen[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(Object.keys(seen[0]!.headers).filter((name) => name.startsWith('x-sandbox-'))).toEqual([]);
  });

  it('never follows a redirect: the client gets it, and nothing but the upstream is asked', async () => {
    const { app } = testApp({ upstream: upstreamUrl });
    seen.length = 0;
    const res = await postEdit(app, { model: 'gpt-image-2', prompt: 'redirect' });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('http://127.0.0.1:1/v1/images/edits');
    expect(seen).toHaveLength(1);
  });

  it('answers 502 upstream_unreachable when the upstream cannot be reached, or its JSON answer breaks off', async () => {
    const closedPort = await freePort();
    const { app: nowhere } = testApp({ upstream: `http://127.0.0.1:${closedPort}/v1` });
    const refused = await postEdit(nowhere, { model: 'gpt-image-2', prompt: 'a rose' });
    expect(refused.status).toBe(502);
    expectToMatchSpec(refused, '/v1/images/edits');
    expect(refused.body.error).toEqual({
      message: `The sandbox could not get an answer from its upstream http://127.0.0.1:${closedPort}/v1 (ECONNREFUSED), so this request has no answer. Check SANDBOX_UPSTREAM and that the upstream is reachable from the sandbox.`,
      type: 'server_error',
      param: null,
      code: 'upstream_unreachable',
    });
    const { app } = testApp({ upstream: upstreamUrl });
    const cut = await postEdit(app, { model: 'gpt-image-2', prompt: 'cut short' });
    expect(cut.status).toBe(502);
    expect(cut.body.error.message).toMatch(/^The sandbox could not get an answer from its upstream http:\/\/127\.0\.0\.1:\d+\/v1 \(the answer broke off: /);
  });

  it('ends a stream that breaks off with an error event, and records the failure', async () => {
    const { app, stores } = testApp({ upstream: upstreamUrl });
    const res = await postEdit(app, { model: 'gpt-image-2', prompt: 'break off', stream: true });
    expect(res.status).toBe(200);
    const events = readJsonEvents(res.text);
    expect(events.map((e) => e.event)).toEqual(['image_edit.partial_image', 'error']);
    expect(events[1]!.data).toMatchObject({ type: 'error', error: { type: 'server_error', code: 'upstream_unreachable' } });
    const [entry] = await journalEntries(stores);
    expect(entry!.error).toMatchObject({ code: 'upstream_unreachable' });
  });
});
