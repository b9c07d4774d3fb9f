/**
 * Broken or surprising request bodies: multipart without or with the wrong boundary, cut
 * off, overfull, JSON and urlencoded bodies, and clients that hang up mid-upload. Every one
 * gets a 4xx envelope; none crashes the sandbox or leaves a socket behind. How each reader
 * error is worded is parse's (unit/edits/parse.test.ts); what validate makes of repeated or
 * misplaced parts is validate's (unit/edits/validate.test.ts).
 */
import net from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import type { SandboxHandle } from '../../server/start-sandbox';
import { expectHealthyAndEditing } from '../helpers/expect-healthy';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testApp, testSandbox } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const IRE = 'invalid_request_error';
const BOUNDARY = 'sandbox-boundary';

interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  readonly filename?: string;
  readonly type?: string;
  /** The part's whole Content-Disposition line, verbatim, in place of the one written from name and filename. */
  readonly disposition?: string;
}

/** A multipart body written by hand, so every byte of it is under the test's control. */
function multipart(parts: readonly Part[], boundary = BOUNDARY, close = true): Buffer {
  const chunks = parts.map((p) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\n${p.disposition ?? `Content-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`}\r\n` +
          (p.type ? `Content-Type: ${p.type}\r\n` : '') +
          '\r\n',
      ),
      Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value),
      Buffer.from('\r\n'),
    ]),
  );
  return Buffer.concat([...chunks, Buffer.from(close ? `--${boundary}--\r\n` : '')]);
}

const IMAGE: Part = { name: 'image', value: fixture('scene-512.png'), filename: 'scene.png', type: 'image/png' };
const BASE: Part[] = [
  { name: 'model', value: 'gpt-image-1' },
  { name: 'prompt', value: 'add a red rose' },
];
const MASK: Part = { name: 'mask', value: fixture('mask-512.png'), filename: 'mask.png', type: 'image/png' };
const manyFields = (count: number): Part[] => Array.from({ length: count }, (_, i) => ({ name: `field_${i}`, value: 'x' }));

interface BodyCase {
  readonly body: string;
  readonly contentType: string;
  readonly payload: Buffer | string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly param: string | null;
  readonly code: string | null;
  /** A fragment of the message, where the code alone does not say enough. */
  readonly says?: string;
}

const cases: BodyCase[] = [
  { body: 'multipart without a boundary', contentType: 'multipart/form-data', payload: multipart([...BASE, IMAGE]), status: 400, param: null, code: 'invalid_multipart_body' },
  {
    body: 'multipart with the wrong boundary',
    contentType: 'multipart/form-data; boundary=not-the-one',
    payload: multipart([...BASE, IMAGE]),
    status: 400,
    param: null,
    code: 'invalid_multipart_body',
  },
  {
    body: 'multipart cut off mid-file',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: multipart([...BASE, IMAGE]).subarray(0, 3000),
    status: 400,
    param: null,
    code: 'invalid_multipart_body',
  },
  {
    body: 'multipart without its closing boundary',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: multipart([...BASE, IMAGE], BOUNDARY, false),
    status: 400,
    param: null,
    code: 'invalid_multipart_body',
  },
  // Parts the reader cannot place are refused by name, never skipped (an edit without its mask would look fine).
  ...[
    { what: 'a mask whose filename breaks out of its quotes', part: { ...MASK, disposition: 'Content-Disposition: form-data; name="mask"; filename=""><script>alert(1)</script>' }, param: 'mask' },
    { what: 'a mask whose filename* does not decode', part: { ...MASK, disposition: "Content-Disposition: form-data; name=\"mask\"; filename*=UTF-8''%E2%82%ZZ.png" }, param: 'mask' },
    { what: 'an image part that is not form-data', part: { ...IMAGE, disposition: 'Content-Disposition: attachment; name="image"; filename="scene.png"' }, param: 'image' },
    { what: 'a part with an unterminated name', part: { ...MASK, disposition: 'Content-Disposition: form-data; name=mask"; filename="mask.png"' }, param: null },
    { what: 'a part without a Content-Disposition', part: { ...MASK, disposition: 'X-Note: no disposition here' }, param: null },
  ].map(
    ({ what, part, param }): BodyCase => ({
      body: what,
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      payload: multipart([...BASE, IMAGE, part]),
      status: 400,
      param,
      code: 'invalid_multipart_part',
      says: 'Could not read multipart part',
    }),
  ),
  {
    body: 'a duplicated prompt',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: multipart([...BASE, { name: 'prompt', value: 'again' }, IMAGE]),
    status: 400,
    param: 'prompt',
    code: 'invalid_type',
  },
  {
    body: 'an unexpected file field',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: multipart([...BASE, IMAGE, { ...IMAGE, name: 'thumbnail' }]),
    status: 400,
    param: 'thumbnail',
    code: 'unknown_parameter',
  },
  {
    body: '1000 fields',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: multipart([...BASE, ...manyFields(1000), IMAGE]),
    status: 400,
    param: null,
    code: 'too_many_parameters',
  },
  {
    body: 'a prompt of 1 MB',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: multipart([{ name: 'model', value: 'gpt-image-1' }, { name: 'prompt', value: 'a'.repeat(1024 * 1024) }, IMAGE]),
    status: 400,
    param: 'prompt',
    code: 'string_above_max_length',
  },
  { body: 'JSON fields without images', contentType: 'application/json', payload: JSON.stringify({ model: 'gpt-image-1', prompt: 'add a rose' }), status: 400, param: 'images', code: 'missing_required_parameter' },
  { body: 'JSON with the multipart image field', contentType: 'application/json', payload: JSON.stringify({ prompt: 'add a rose', image: 'iVBORw0KGgo=' }), status: 400, param: 'image', code: 'invalid_value', says: "use 'images' (array)" },
  { body: 'JSON with a bad field value', contentType: 'application/json', payload: JSON.stringify({ prompt: 'x', images: [{ image_url: 'data:image/png;base64,AA==' }], n: 'abc' }), status: 400, param: 'n', code: 'invalid_type', says: 'but got a string instead' },
  { body: 'JSON that does not parse', contentType: 'application/json', payload: '{"prompt": "add', status: 400, param: null, code: 'invalid_json' },
  // Brackets nested past any edit body's depth: the journal once recursed through them after answering and exhausted the stack.
  { body: 'JSON images nested 5000 deep', contentType: 'application/json', payload: `{"model":"gpt-image-1","prompt":"r","images":${'['.repeat(5000)}${']'.repeat(5000)}}`, status: 400, param: null, code: 'invalid_json' },
  { body: 'JSON user nested 5000 objects deep', contentType: 'application/json', payload: `{"prompt":"r","user":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, status: 400, param: null, code: 'invalid_json' },
  { body: 'JSON over 1 MB', contentType: 'application/json', payload: JSON.stringify({ prompt: 'a'.repeat(1100 * 1024) }), status: 413, param: null, code: 'request_too_large' },
  { body: 'JSON in an unknown charset', contentType: 'application/json; charset=klingon', payload: '{}', status: 400, param: null, code: 'unsupported_charset' },
  {
    body: 'JSON in an unknown content encoding',
    contentType: 'application/json',
    headers: { 'content-encoding': 'x-mystery' },
    payload: '{}',
    status: 400,
    param: null,
    code: 'unsupported_content_encoding',
  },
  {
    body: 'JSON claiming gzip that is not gzip',
    contentType: 'application/json',
    headers: { 'content-encoding': 'gzip' },
    payload: '{"prompt":"x"}',
    status: 400,
    param: null,
    code: 'invalid_body',
    says: 'does not decompress',
  },
  {
    body: 'gzip JSON that inflates past 1 MB',
    contentType: 'application/json',
    headers: { 'content-encoding': 'gzip' },
    payload: zlib.gzipSync(JSON.stringify({ prompt: 'a'.repeat(4 * 1024 * 1024) })),
    status: 413,
    param: null,
    code: 'request_too_large',
  },
  { body: 'urlencoded fields', contentType: 'application/x-www-form-urlencoded', payload: 'model=gpt-image-1&prompt=add+a+rose', status: 400, param: 'image', code: 'missing_required_parameter' },
  { body: 'urlencoded with the image as text', contentType: 'application/x-www-form-urlencoded', payload: 'prompt=x&image=abc', status: 400, param: 'image', code: 'invalid_type' },
  {
    body: 'urlencoded with 1001 parameters',
    contentType: 'application/x-www-form-urlencoded',
    payload: Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&'),
    status: 400,
    param: null,
    code: 'too_many_parameters',
  },
  // Nothing is read from a text/plain body: the first missing field, in the live order, is the prompt.
  { body: 'text/plain', contentType: 'text/plain', payload: 'add a rose', status: 400, param: 'prompt', code: 'missing_required_parameter' },
];

describe('an edit body over a bound under a megabyte', () => {
  const { app } = testApp({ maxJsonBodyBytes: 2048 });

  it('names the bound in KB, and still asks for images as multipart', async () => {
    const res = await request(app).post(EDITS).set('Authorization', `Bearer ${TEST_KEY}`).set('content-type', 'application/json').send(JSON.stringify({ prompt: 'a'.repeat(4096) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ param: null, code: 'request_too_large' });
    expect(res.body.error.message).toBe('Request body too large: a JSON or form-encoded body may be at most 2 KB (2048 bytes). Please send images as multipart/form-data.');
  });
});

describe('hostile request bodies', () => {
  // A 1 MB bound on JSON bodies keeps the oversize cases small (the default, 32 MiB, carries data URLs).
  const { app } = testApp({ maxJsonBodyBytes: 1024 * 1024 });

  it.each(cases)('answers $body with $status $code', async (c) => {
    let req = request(app).post(EDITS).set('Authorization', `Bearer ${TEST_KEY}`).set('content-type', c.contentType);
    for (const [name, value] of Object.entries(c.headers ?? {})) req = req.set(name, value);
    // Bytes go out as they are (superagent would JSON-encode a Buffer sent as application/json).
    const res = await req.serialize((body: unknown) => body as string).send(c.payload);
    expect(res.status).toBe(c.status);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type: IRE, param: c.param, code: c.code });
    expect(res.body.error.message).not.toMatch(/\n\s+at /);
    if (c.says) expect(res.body.error.message).toContain(c.says);
  });

  it('does not let field names reach the prototype', async () => {
    const res = await request(app)
      .post(EDITS)
      .set('Authorization', `Bearer ${TEST_KEY}`)
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(multipart([...BASE, { name: '__proto__[polluted]', value: 'yes' }, { name: 'constructor[prototype][polluted]', value: 'yes' }, IMAGE]));
    expect(res.status).toBe(400);
    expectToMatchSpec(res, EDITS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stays healthy and still edits after the whole table', async () => {
    await expectHealthyAndEditing(app);
  });
});

describe('a client that hangs up mid-upload', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await testSandbox();
  });
  afterAll(() => sandbox.close());

  const connections = () => new Promise<number>((resolve, reject) => sandbox.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

  /** Sends the headers and half of a real multipart body, then destroys the socket. */
  function abortMidFile(): Promise<void> {
    const body = multipart([...BASE, { ...IMAGE, value: Buffer.concat([fixture('scene-512.png'), Buffer.alloc(256 * 1024)]) }]);
    return new Promise((resolve, reject) => {
      const socket = net.connect(sandbox.port, '127.0.0.1', () => {
        socket.write(
          `POST ${EDITS} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_KEY}\r\n` +
            `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => socket.destroy(), 20));
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
  }

  it('leaves no socket behind and keeps serving, twenty times over', async () => {
    for (let i = 0; i < 20; i++) await abortMidFile();
    const deadline = Date.now() + 3_000;
    while ((await connections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
    await expectHealthyAndEditing(sandbox.url);
  });
});
