/**
 * The request journal: GET/DELETE /__sandbox/requests, one entry by id, and the kept bytes
 * of uploads, mask and outputs. Keys are never recorded.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, fixture, sniffFormat } from '../helpers/fixtures';
import { TEST_KEY, journalEntries, testApp } from '../helpers/test-sandbox';

const LIST = '/__sandbox/requests';
const ONE = '/__sandbox/requests/{id}';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const binary = (req: request.Test) => req.buffer(true).parse((res, done) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
});

describe('the request journal', () => {
  const { app } = testApp();
  let editId: string;

  beforeAll(async () => {
    const res = await postEdit(app, { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', n: 2, output_format: 'webp', response_format: 'url' }, [
      { name: 'scene-512.png' },
      { field: 'mask', name: 'mask-512.png' },
    ]).set('user-agent', 'journal-test/1.0');
    expect(res.status).toBe(200);
    editId = String(res.headers['x-request-id']);
    expect((await postEdit(app, { prompt: 'a cat', model: 'dall-e-2', size: '256x256' }, [{ name: 'scene-rgba-256.png' }])).status).toBe(200);
    expect((await postEdit(app, { prompt: 'a dog', model: 'gpt-image-1', size: '7x7' })).status).toBe(400);
  });

  it('lists every edit request newest last, each matching the documented entry', async () => {
    const res = await request(app).get(LIST);
    expectToMatchSpec(res, LIST, 'get');
    expect(res.body.data.map((e: { fields: { prompt: string } }) => e.fields.prompt)).toEqual(['add a red rose', 'a cat', 'a dog']);
    expect(res.body.data[0].id).toBe(editId);
  });

  it('records the fields as sent, the resolved plan, usage, and every upload described', async () => {
    const res = await request(app).get(`/__sandbox/requests/${editId}`);
    expectToMatchSpec(res, ONE, 'get');
    const entry = res.body;
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/v1/images/edits',
      status: 200,
      stream: false,
      scenario: null,
      error: null,
      fields: { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', n: '2', output_format: 'webp', response_format: 'url' },
      plan: { model: 'gpt-image-1', size: '1024x1024', quality: 'low', background: 'opaque', output_format: 'webp', n: 2, response_format: 'url' },
      usage: { output_tokens: 544 },
    });
    expect(Date.parse(entry.time)).toBeGreaterThan(0);
    expect(entry.duration_ms).toBeGreaterThan(0);
    expect(entry.files).toEqual([
      {
        field: 'image',
        param: 'image',
        filename: 'scene-512.png',
        content_type: 'image/png',
        bytes: fixture('scene-512.png').length,
        format: 'png',
        width: 512,
        height: 512,
        sha256: sha256(fixture('scene-512.png')),
        url: `/__sandbox/requests/${editId}/files/0`,
      },
    ]);
    expect(entry.mask).toMatchObject({ field: 'mask', param: 'mask', format: 'png', width: 512, height: 512, sha256: sha256(fixture('mask-512.png')), url: `/__sandbox/requests/${editId}/mask` });
    expect(entry.outputs).toEqual([0, 1].map((index) => ({ index, format: 'webp', bytes: expect.any(Number), url: `/__sandbox/requests/${editId}/outputs/${index}` })));
  });

  it('serves the kept upload, mask and outputs byte for byte with their content types', async () => {
    const entry = (await request(app).get(`/__sandbox/requests/${editId}`)).body;
    const upload = await binary(request(app).get(entry.files[0].url));
    expect(upload.headers['content-type']).toBe('image/png');
    expect(upload.headers['x-content-type-options']).toBe('nosniff');
    expect(sha256(upload.body as Buffer)).toBe(entry.files[0].sha256);
    const mask = await binary(request(app).get(entry.mask.url));
    expect(decodePng(mask.body as Buffer).width).toBe(512);
    for (const output of entry.outputs) {
      const res = await binary(request(app).get(output.url));
      expect(res.headers['content-type']).toBe('image/webp');
      expect(sniffFormat(res.body as Buffer)).toBe('webp');
      expect((res.body as Buffer).length).toBe(output.bytes);
    }
  });

  it('records requests that fail validation, with what was parsed and the error sent', async () => {
    const entry = (await request(app).get(LIST).query({ status: '400' })).body.data[0];
    expect(entry).toMatchObject({
      status: 400,
      plan: null,
      outputs: [],
      fields: { prompt: 'a dog', size: '7x7' },
      error: { status: 400, type: 'invalid_request_error', param: 'size', code: 'invalid_value' },
    });
    expect(entry.files[0]).toMatchObject({ filename: 'scene-512.png', sha256: sha256(fixture('scene-512.png')) });
  });

  it('records requests rejected for their key before the body is read', async () => {
    const keyed = testApp({ apiKeys: [TEST_KEY] });
    const res = await postEdit(keyed.app, { prompt: 'x' }, undefined, 'sk-proj-notTheRightKey0000');
    expect(res.status).toBe(401);
    const entry = (await journalEntries(keyed.stores))[0];
    expect(entry).toMatchObject({ status: 401, error: { code: 'invalid_api_key' }, headers: { authorization: 'Bearer sk-…redacted' } });
  });

  it('never records the API key: authorization is redacted', async () => {
    const res = await request(app).get(LIST);
    expect(JSON.stringify(res.body)).not.toContain(TEST_KEY);
    expect(JSON.stringify(res.body)).not.toContain(TEST_KEY.slice(3, 12));
    for (const entry of res.body.data) expect(entry.headers.authorization).toBe('Bearer sk-…redacted');
    expect(res.body.data[0].headers['user-agent']).toBe('journal-test/1.0');
  });

  it.each([
    { query: { model: 'dall-e-2' }, prompts: ['a cat'] },
    { query: { model: 'gpt-image-1' }, prompts: ['add a red rose', 'a dog'] },
    { query: { status: '200' }, prompts: ['add a red rose', 'a cat'] },
    { query: { status: '4xx' }, prompts: ['a dog'] },
    { query: { limit: '2' }, prompts: ['a cat', 'a dog'] },
    { query: { model: 'gpt-image-1', limit: '1' }, prompts: ['a dog'] },
    { query: { status: '503' }, prompts: [] },
  ])('filters by $query', async ({ query, prompts }) => {
    const res = await request(app).get(LIST).query(query);
    expectToMatchSpec(res, LIST, 'get');
    expect(res.body.data.map((e: { fields: { prompt: string } }) => e.fields.prompt)).toEqual(prompts);
  });

  it.each([
    { query: 'status=teapot', status: 400, type: 'invalid_request_error', param: 'status', code: 'invalid_value' },
    { query: 'status=600', status: 400, type: 'invalid_request_error', param: 'status', code: 'invalid_value' },
    { query: 'limit=0', status: 400, type: 'invalid_request_error', param: 'limit', code: 'invalid_value' },
    { query: 'limit=-1', status: 400, type: 'invalid_request_error', param: 'limit', code: 'invalid_value' },
    { query: 'limit=a', status: 400, type: 'invalid_request_error', param: 'limit', code: 'invalid_value' },
    { query: 'model=a&model=b', status: 400, type: 'invalid_request_error', param: 'model', code: 'invalid_value' },
    // Unknown or malformed names once fell through and listed everything, as if no filter were asked.
    { query: 'foo=bar', status: 400, type: 'invalid_request_error', param: 'foo', code: 'unknown_parameter' },
    { query: 'fields=x', status: 400, type: 'invalid_request_error', param: 'fields', code: 'unknown_parameter' },
    { query: 'fields[a][b]=1', status: 400, type: 'invalid_request_error', param: 'fields[a][b]', code: 'unknown_parameter' },
    { query: 'fields[]=1', status: 400, type: 'invalid_request_error', param: 'fields[]', code: 'unknown_parameter' },
    { query: 'Model=gpt-image-1', status: 400, type: 'invalid_request_error', param: 'Model', code: 'unknown_parameter' },
  ])('rejects ?$query with $status $code', async ({ query, status, type, param, code }) => {
    const res = await request(app).get(`${LIST}?${query}`);
    expectToMatchSpec(res, LIST, 'get');
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ type, param, code });
  });

  it('names an unknown query parameter and lists the known ones', async () => {
    const res = await request(app).get(`${LIST}?foo=bar`);
    expect(res.body.error.message).toBe(
      "Unknown query parameter 'foo'. Known parameters are: 'namespace', 'model', 'status', 'prompt', 'fields[<field>]', 'since', and 'limit'.",
    );
  });

  it('still takes every documented parameter together, and the dashboard\'s ?namespace=*&since=', async () => {
    const all = await request(app).get(`${LIST}?namespace=default&model=gpt-image-1&status=4xx&prompt=dog&fields[size]=7x7&since=0&limit=5`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((e: { fields: { prompt: string } }) => e.fields.prompt)).toEqual(['a dog']);
    expect((await request(app).get(`${LIST}?namespace=*&since=0`)).status).toBe(200);
  });

  it.each([
    { path: '/__sandbox/requests/req_00000000000000000000000000000000', spec: ONE, code: 'request_not_found' },
    { path: '/__sandbox/requests/req_00000000000000000000000000000000/files/0', spec: '/__sandbox/requests/{id}/files/{index}', code: 'file_not_found' },
    { path: '/__sandbox/requests/req_00000000000000000000000000000000/mask', spec: '/__sandbox/requests/{id}/mask', code: 'file_not_found' },
  ])('answers 404 $code for $path', async ({ path, spec, code }) => {
    const res = await request(app).get(path);
    expectToMatchSpec(res, spec, 'get');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe(code);
  });

  it('answers 404 for an upload index or output the request did not have', async () => {
    for (const path of [`/__sandbox/requests/${editId}/files/1`, `/__sandbox/requests/${editId}/outputs/2`, `/__sandbox/requests/${editId}/outputs/x`]) {
      const res = await request(app).get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('file_not_found');
    }
  });

  it('reads an index only as plain decimal digits: 0x0, 0.0, -0, 1e0 and +0 name no file', async () => {
    expect((await request(app).get(`/__sandbox/requests/${editId}/outputs/0`)).status).toBe(200);
    const paths = [`/files/0x0`, `/outputs/0.0`, `/outputs/-0`, `/outputs/1e0`, `/outputs/+0`, `/outputs/%200`, `/partials/0b0`].map((tail) => `/__sandbox/requests/${editId}${tail}`);
    for (const path of paths) {
      const res = await request(app).get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('file_not_found');
    }
  });
});

describe('a streamed edit in the journal', () => {
  it('is marked stream and keeps the completed image as its one output', async () => {
    const { app } = testApp();
    const res = await postEdit(app, { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', stream: 'true', partial_images: '1' });
    expect(res.status).toBe(200);
    const completed = /event: image_edit\.completed\ndata: (.*)\n/.exec(res.text)?.[1];
    const b64 = (JSON.parse(completed ?? '{}') as { b64_json?: string }).b64_json ?? '';
    const entry = (await request(app).get(`/__sandbox/requests/${res.headers['x-request-id']}`)).body;
    expect(entry).toMatchObject({ stream: true, status: 200, plan: { model: 'gpt-image-1' } });
    expect(entry.outputs).toHaveLength(1);
    const output = await binary(request(app).get(entry.outputs[0].url));
    expect((output.body as Buffer).toString('base64')).toBe(b64);
  });
});

describe('the journal bounds', () => {
  const fields = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' };

  it('releases the oldest bytes beyond SANDBOX_JOURNAL_BYTES, keeping their descriptions', async () => {
    const upload = fixture('scene-512.png').length;
    const { app, memory } = testApp({ journalBytes: upload * 2 + 10 });
    for (const prompt of ['one', 'two', 'three']) await postEdit(app, { ...fields, size: '7x7', prompt });
    expect(memory.journal.bytes).toBeLessThanOrEqual(upload * 2 + 10);
    const res = await request(app).get(LIST);
    expectToMatchSpec(res, LIST, 'get');
    expect(res.body.data.map((e: { files: { url: string | null }[] }) => e.files[0]!.url === null)).toEqual([true, false, false]);
    expect(res.body.data[0].files[0].sha256).toBe(sha256(fixture('scene-512.png')));
    expect((await request(app).get(`/__sandbox/requests/${res.body.data[0].id}/files/0`)).status).toBe(404);
  });

  it('DELETE clears it and says how many entries went', async () => {
    const { app } = testApp();
    await postEdit(app, { ...fields, size: '7x7' });
    await postEdit(app, { ...fields, size: '7x7' });
    const res = await request(app).delete(LIST);
    expectToMatchSpec(res, LIST, 'delete');
    expect(res.body).toEqual({ deleted: 2 });
    expect((await request(app).get(LIST)).body.data).toEqual([]);
  });
});
