/**
 * The minimal Files API: the live shapes and errors, bounded like every store.
 */
import request from 'supertest';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, TEST_NOW, testApp } from '../helpers/test-sandbox';

const FILES = '/v1/files';
const IRE = 'invalid_request_error';
const auth = { Authorization: `Bearer ${TEST_KEY}` };

type App = ReturnType<typeof testApp>['app'];

function upload(app: App, fields: Record<string, string> = { purpose: 'vision' }, file: { name: string; bytes: Buffer; type: string } | null = { name: 'scene.png', bytes: fixture('scene-256.png'), type: 'image/png' }) {
  let req = request(app).post(FILES).set(auth);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  if (file) req = req.attach('file', file.bytes, { filename: file.name, contentType: file.type });
  return req;
}

describe('POST /v1/files and the file routes', () => {
  const { app } = testApp();

  it('uploads a file and answers the live file object', async () => {
    const res = await upload(app);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, FILES);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^file-[A-Za-z0-9]{22}$/),
      object: 'file',
      bytes: fixture('scene-256.png').length,
      created_at: TEST_NOW,
      expires_at: TEST_NOW + 24 * 3600,
      filename: 'scene.png',
      purpose: 'vision',
      status: 'processed',
      status_details: null,
    });
  });

  it('takes expires_after as the SDKs send it (expires_after[anchor], expires_after[seconds])', async () => {
    const res = await upload(app, { purpose: 'user_data', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '3600' });
    expect(res.status).toBe(200);
    expect(res.body.expires_at).toBe(TEST_NOW + 3600);
  });

  it('retrieves, serves the bytes, deletes, then answers 404 No such File object', async () => {
    const { body: created } = await upload(app);
    const path = `${FILES}/${created.id}`;
    const retrieved = await request(app).get(path).set(auth);
    expect(retrieved.status).toBe(200);
    expectToMatchSpec(retrieved, '/v1/files/{file_id}', 'get');
    expect(retrieved.body).toEqual(created);

    const content = await request(app).get(`${path}/content`).set(auth).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(content.status).toBe(200);
    expect(content.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(content.body as Buffer, fixture('scene-256.png'))).toBe(0);

    const deleted = await request(app).delete(path).set(auth);
    expect(deleted.status).toBe(200);
    expectToMatchSpec(deleted, '/v1/files/{file_id}', 'delete');
    expect(deleted.body).toEqual({ id: created.id, object: 'file', deleted: true });

    for (const [method, url] of [['get', path], ['delete', path], ['get', `${path}/content`]] as const) {
      const gone = await request(app)[method](url).set(auth);
      expect(gone.status).toBe(404);
      expect(gone.body.error).toEqual({ message: `No such File object: ${created.id}`, type: IRE, param: 'id', code: null });
    }
  });

  it('lists newest first, with the live page shape', async () => {
    const { app: fresh } = testApp();
    const empty = await request(fresh).get(FILES).set(auth);
    expect(empty.body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    const a = (await upload(fresh)).body;
    const b = (await upload(fresh, { purpose: 'user_data' })).body;
    const c = (await upload(fresh)).body;
    const all = await request(fresh).get(FILES).set(auth);
    expect(all.status).toBe(200);
    expectToMatchSpec(all, FILES, 'get');
    expect(all.body).toEqual({ object: 'list', data: [c, b, a], first_id: c.id, last_id: a.id, has_more: false });
    const page = await request(fresh).get(FILES).query({ limit: 1, order: 'asc', after: a.id }).set(auth);
    expect(page.body).toMatchObject({ data: [b], first_id: b.id, last_id: b.id, has_more: true });
    const vision = await request(fresh).get(FILES).query({ purpose: 'vision' }).set(auth);
    expect(vision.body.data.map((f: { id: string }) => f.id)).toEqual([c.id, a.id]);
  });

  it.each([
    { what: 'no file', fields: { purpose: 'vision' }, file: null, param: 'file', code: 'missing_required_parameter', message: "Missing required parameter: 'file'." },
    { what: 'no purpose', fields: {}, param: 'purpose', code: 'missing_required_parameter', message: "Missing required parameter: 'purpose'." },
    {
      what: 'an unknown purpose',
      fields: { purpose: 'images' },
      param: 'purpose',
      code: 'invalid_value',
      message: "Invalid value: 'images'. Supported values are: 'assistants', 'batch', 'fine-tune', 'vision', 'user_data', and 'evals'.",
    },
    { what: 'expires_after below an hour', fields: { purpose: 'vision', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '60' }, param: 'expires_after.seconds', code: 'integer_below_min_value' },
    { what: 'expires_after in hexadecimal', fields: { purpose: 'vision', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '0xe10' }, param: 'expires_after.seconds', code: 'invalid_type' },
    { what: 'expires_after without its anchor', fields: { purpose: 'vision', 'expires_after[seconds]': '3600' }, param: 'expires_after.anchor', code: 'missing_required_parameter' },
    { what: 'an unknown field', fields: { purpose: 'vision', colour: 'red' }, param: 'colour', code: 'unknown_parameter', message: "Unknown parameter: 'colour'." },
    { what: 'the file sent as text', fields: { purpose: 'vision', file: 'abc' }, file: null, param: 'file', code: 'invalid_type', message: "Invalid type for 'file': expected a file, but got a string instead." },
  ])('answers an upload with $what: 400 $code', async ({ fields, file, param, code, message }) => {
    const res = await upload(app, fields, file === null ? null : undefined);
    expect(res.status).toBe(400);
    expectToMatchSpec(res, FILES);
    expect(res.body.error).toMatchObject({ type: IRE, param, code });
    if (message) expect(res.body.error.message).toBe(message);
  });

  it.each([
    [{ limit: '0' }, 'limit', 'integer_below_min_value'],
    [{ limit: '10001' }, 'limit', 'integer_above_max_value'],
    [{ limit: 'ten' }, 'limit', 'invalid_type'],
    [{ order: 'sideways' }, 'order', 'invalid_value'],
  ])('answers a list with %j: 400 on %s (%s)', async (query, param, code) => {
    const res = await request(app).get(FILES).query(query).set(auth);
    expect(res.status).toBe(400);
    expectToMatchSpec(res, FILES, 'get');
    expect(res.body.error).toMatchObject({ type: IRE, param, code });
  });

  it('asks for the API key like every /v1 route', async () => {
    const res = await request(app).get(FILES);
    expect(res.status).toBe(401);
    expectToMatchSpec(res, FILES, 'get');
  });
});

describe('the Files API store bounds', () => {
  it('drops the oldest file beyond SANDBOX_MAX_FILES', async () => {
    const { app } = testApp({ maxFiles: 2 });
    const first = (await upload(app)).body;
    await upload(app);
    await upload(app);
    expect((await request(app).get(`${FILES}/${first.id}`).set(auth)).status).toBe(404);
    expect((await request(app).get(FILES).set(auth)).body.data).toHaveLength(2);
  });

  it('refuses a file larger than SANDBOX_MAX_FILES_BYTES', async () => {
    const { app } = testApp({ maxFilesBytes: 1024 });
    const res = await upload(app);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ param: 'file', code: 'file_too_large' });
  });
});
