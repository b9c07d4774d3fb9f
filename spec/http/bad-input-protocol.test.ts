/**
 * Hostile HTTP: unknown routes, clients that send too slowly, headers that are too large,
 * and connections left open. Node's own bounds (requestTimeout, headersTimeout,
 * keepAliveTimeout, maxHeaderSize) close them; the sandbox keeps serving.
 */
import net from 'node:net';
import request from 'supertest';
import type { SandboxHandle } from '../../server/start-sandbox';
import { expectHealthyAndEditing } from '../helpers/expect-healthy';
import { expectToMatchSchema, testContract } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testApp, testSandbox } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const REQUEST_TIMEOUT_MS = 1_000;

/** A raw HTTP answer Node's parser produced carries the envelope and a request id all the same. */
function expectEnvelope(raw: string, code: string): void {
  const [head, body] = raw.split('\r\n\r\n');
  expect(head).toMatch(/\r\nx-request-id: req_[0-9a-f]{32}\r\n/i);
  expect(head).toMatch(/\r\ncontent-type: application\/json/i);
  const parsed = JSON.parse(body ?? '');
  expectToMatchSchema(parsed, 'ErrorResponse');
  expect(parsed.error).toMatchObject({ type: 'invalid_request_error', code });
}

describe('unknown paths and methods', () => {
  const { app } = testApp();

  it.each([
    { method: 'get', path: '/v1/images/edits' },
    { method: 'put', path: '/v1/images/edits' },
    { method: 'delete', path: '/v1/images/edits' },
    { method: 'post', path: '/v1/images/edit' },
    { method: 'post', path: '/v1/images/generations' },
    { method: 'post', path: '/v1/images/generations/../edits/extra' },
    { method: 'get', path: '/v1' },
    { method: 'post', path: '/v1/images/edits/%2e%2e' },
    { method: 'get', path: '/nothing/here' },
  ] as const)('answers $method $path with the live 404 envelope', async ({ method, path }) => {
    const res = await request(app)[method](path).set('Authorization', `Bearer ${TEST_KEY}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectToMatchSchema(res.body, 'ErrorResponse');
    expect(res.body).toEqual({ error: { message: `Invalid URL (${method.toUpperCase()} ${path})`, type: 'invalid_request_error', param: null, code: null } });
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  /** Every documented path, its `{params}` filled in. */
  const documentedPaths = Object.keys(testContract().document.paths as Record<string, unknown>).map((p) => p.replace(/\{[^}]+\}/g, 'x'));

  // Express would answer these itself (200 text/plain `Allow: POST`); the sandbox grants no CORS.
  it.each(documentedPaths)('answers OPTIONS %s like any other unrouted method, with the 404 envelope', async (path) => {
    const res = await request(app).options(path).set('Authorization', `Bearer ${TEST_KEY}`);
    expect(res.status).toBe(404);
    expect(res.headers['allow']).toBeUndefined();
    expect(res.body).toEqual({ error: { message: `Invalid URL (OPTIONS ${path})`, type: 'invalid_request_error', param: null, code: null } });
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('asks OPTIONS on a locked control surface for the admin token first, as PUT', async () => {
    const { app: locked } = testApp({ adminToken: 'admin-0123456789' });
    for (const method of ['options', 'put'] as const) {
      const res = await request(locked)[method]('/__sandbox/scenarios');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_admin_token');
    }
    const res = await request(locked).options('/__sandbox/scenarios').set('Authorization', 'Bearer admin-0123456789');
    expect(res.status).toBe(404);
  });

  describe('under SANDBOX_PROFILE=openai', () => {
    const { app: live } = testApp({ profile: 'openai' });

    it.each([
      { method: 'post', path: '/v1/images/variations' },
      { method: 'get', path: '/v1/images/variations' },
      { method: 'get', path: '/v1/images/edits' },
      { method: 'post', path: '/v1/images/foo' },
      { method: 'post', path: '/v1/nope' },
      { method: 'options', path: '/v1/images/edits' },
      { method: 'options', path: '/v1/files' },
    ] as const)('answers $method $path with the live empty 404', async ({ method, path }) => {
      const res = await request(live)[method](path).set('Authorization', `Bearer ${TEST_KEY}`).buffer(true);
      expect(res.status).toBe(404);
      expect(res.text).toBe('');
      expect(res.headers['content-type']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    });

    it("keeps the envelope for the sandbox's own surface, which says what was called", async () => {
      const res = await request(live).get('/__sandbox/nope');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { message: 'Invalid URL (GET /__sandbox/nope)', type: 'invalid_request_error', param: null, code: null } });
    });
  });
});

describe('slow, oversized and idle connections', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    // Spaced stream events, so a client can hang up in the middle of a stream.
    sandbox = await testSandbox({ requestTimeoutMs: REQUEST_TIMEOUT_MS, streamIntervalMs: 200 });
  });
  afterAll(() => sandbox.close({ graceMs: 0 }));

  const connections = () => new Promise<number>((resolve, reject) => sandbox.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

  /** A raw socket that records what it receives and when the server closed it. */
  function rawSocket(): Promise<{ socket: net.Socket; received: () => string; closed: Promise<number> }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      let text = '';
      const socket = net.connect(sandbox.port, '127.0.0.1');
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('error', () => undefined); // a reset by the server is an expected ending here
      const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
      socket.once('connect', () => resolve({ socket, received: () => text, closed }));
      socket.once('error', reject);
    });
  }

  async function expectStillServing(): Promise<void> {
    await expectHealthyAndEditing(sandbox.url);
  }

  it('cuts off a client that sends its body byte by byte, within the request timeout', async () => {
    const { socket, received, closed } = await rawSocket();
    const body = Buffer.from(`--b\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n${'x'.repeat(200)}\r\n--b--\r\n`);
    socket.write(
      `POST ${EDITS} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TEST_KEY}\r\n` +
        `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let sent = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || sent >= body.length) return clearInterval(drip);
      socket.write(body.subarray(sent, ++sent));
    }, 50);
    const afterMs = await closed;
    clearInterval(drip);
    expect(sent).toBeLessThan(body.length);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 4);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expectEnvelope(received(), 'request_timeout');
    await expectStillServing();
  });

  it('cuts off a client that sends its headers byte by byte, within the headers timeout', async () => {
    const { socket, received, closed } = await rawSocket();
    const head = Buffer.from(`GET /__sandbox/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'y'.repeat(200)}\r\n\r\n`);
    let sent = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || sent >= head.length) return clearInterval(drip);
      socket.write(head.subarray(sent, ++sent));
    }, 50);
    const afterMs = await closed;
    clearInterval(drip);
    expect(sent).toBeLessThan(head.length);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 4);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expectEnvelope(received(), 'request_timeout');
    await expectStillServing();
  });

  it('refuses a 64 KB header with 431 and keeps serving', async () => {
    const { socket, received, closed } = await rawSocket();
    socket.write(`GET /__sandbox/health HTTP/1.1\r\nHost: localhost\r\nX-Huge: ${'h'.repeat(64 * 1024)}\r\n\r\n`);
    await closed;
    // Node's HTTP parser refuses it before Express sees it; the answer is still the envelope.
    expect(received()).toMatch(/^HTTP\/1\.1 431 /);
    expectEnvelope(received(), 'request_header_fields_too_large');
    await expectStillServing();
  });

  it.each([
    { what: 'no Host header', head: 'GET /__sandbox/health HTTP/1.1\r\n\r\n' },
    { what: 'an empty Host header', head: 'GET /__sandbox/health HTTP/1.1\r\nHost:\r\n\r\n' },
    { what: 'no Host header on an edit', head: `POST ${EDITS} HTTP/1.1\r\nAuthorization: Bearer ${TEST_KEY}\r\nContent-Length: 0\r\n\r\n` },
  ])('answers an HTTP/1.1 request with $what with 400 malformed_request, not a bare 400', async ({ head }) => {
    const { socket, received, closed } = await rawSocket();
    socket.write(head);
    const deadline = Date.now() + 3_000;
    while (!received().includes('}') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    socket.destroy();
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 400 /);
    expectEnvelope(received(), 'malformed_request');
    expect(JSON.parse(received().split('\r\n\r\n')[1]!).error.message).toContain('Host');
    await expectStillServing();
  });

  it('still serves an HTTP/1.0 request without Host (1.0 does not require one)', async () => {
    const { socket, received, closed } = await rawSocket();
    socket.write('GET /__sandbox/health HTTP/1.0\r\n\r\n');
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('lets a client hang up in the middle of a stream, leaving no socket behind', async () => {
    const { socket, received, closed } = await rawSocket();
    const part = (name: string, value: string) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(part('model', 'gpt-image-1') + part('quality', 'low') + part('prompt', 'add a rose') + part('stream', 'true') + part('partial_images', '3')),
      Buffer.from('--b\r\nContent-Disposition: form-data; name="image"; filename="scene.png"\r\nContent-Type: image/png\r\n\r\n'),
      fixture('scene-512.png'),
      Buffer.from('\r\n--b--\r\n'),
    ]);
    socket.write(
      `POST ${EDITS} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TEST_KEY}\r\n` +
        `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body);
    const deadline = Date.now() + 10_000;
    while (!received().includes('event: image_edit.partial_image') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*text\/event-stream/);
    expect(received()).not.toContain('image_edit.completed');
    socket.destroy();
    await closed;
    const settle = Date.now() + 3_000;
    while ((await connections()) > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
    await expectStillServing();
  });

  it('closes silent connections that never send a request', async () => {
    const sockets = await Promise.all(Array.from({ length: 50 }, () => rawSocket()));
    const times = await Promise.all(sockets.map((s) => s.closed));
    expect(Math.max(...times)).toBeLessThan(REQUEST_TIMEOUT_MS * 4);
    await expectStillServing();
  });

  it('serves while 100 keep-alive connections sit idle, then closes them at the keep-alive timeout', async () => {
    const sockets = await Promise.all(Array.from({ length: 100 }, () => rawSocket()));
    for (const s of sockets) s.socket.write('GET /__sandbox/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    const deadline = Date.now() + 5_000;
    while (sockets.some((s) => !/\r\n\r\n\{/.test(s.received())) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const s of sockets) expect(s.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(await connections()).toBeGreaterThanOrEqual(100);
    await expectStillServing();
    const times = await Promise.all(sockets.map((s) => s.closed));
    expect(Math.max(...times)).toBeLessThan(sandbox.server.keepAliveTimeout + 3_000);
    const settle = Date.now() + 2_000;
    while ((await connections()) > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
  }, 20_000);
});
