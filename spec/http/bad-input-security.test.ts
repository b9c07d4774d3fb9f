/**
 * Safe by default: no framework fingerprint, served bytes never sniffed as something else,
 * stored files addressed by unguessable ids, no client-sent path or name reaching the
 * filesystem, and no API key or admin token ever kept or returned by the journal.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import request from 'supertest';
import { pathAndQuery, postEdit } from '../helpers/edit-request';
import { fixture } from '../helpers/fixtures';
import { expectToMatchSchema, expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { TEST_KEY, testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const ADMIN_TOKEN = 'admin-secret-0123456789';
const DALLE_URL = { model: 'dall-e-2', size: '256x256', prompt: 'add a rose' };
const RGBA = [{ name: 'scene-rgba-256.png' }];

describe('safe response headers', () => {
  const { app } = testApp();

  it.each([
    { what: 'a successful edit', send: () => postEdit(app, DALLE_URL, RGBA) },
    { what: 'a 400', send: () => postEdit(app, { prompt: '' }) },
    { what: 'a 401', send: () => postEdit(app, { prompt: 'x' }, RGBA, null) },
    { what: 'a 404', send: () => request(app).get('/v1/nowhere') },
    { what: 'the health probe', send: () => request(app).get('/__sandbox/health') },
    // Its type and nosniff are in edits-success.test.ts.
    { what: 'a stored image', send: async () => request(app).get(pathAndQuery((await postEdit(app, DALLE_URL, RGBA)).body.data[0].url as string)) },
  ])('sends no x-powered-by on $what', async ({ send }) => {
    const res = await send();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });
});

describe('stored file ids', () => {
  const { app } = testApp();

  it('are long random names, all different, carrying nothing the client sent', async () => {
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await postEdit(app, { ...DALLE_URL, prompt: 'add a rose', user: 'alice' }, [{ name: 'scene-rgba-256.png' }]);
      expect(res.status).toBe(200);
      expectToMatchSpec(res, EDITS);
      names.push(new URL(res.body.data[0].url as string).pathname.split('/').pop()!);
    }
    // 24 base64url characters are 144 random bits: not enumerable.
    for (const name of names) expect(name).toMatch(/^img-[A-Za-z0-9_-]{24}\.png$/);
    expect(new Set(names).size).toBe(names.length);
    expect(names.join(' ')).not.toMatch(/rose|alice|scene/);
  });
});

describe('client paths and names never reach the filesystem', () => {
  const { app } = testApp();
  const watched = [
    [fs, 'readFileSync'],
    [fs, 'readFile'],
    [fs, 'createReadStream'],
    [fs, 'openSync'],
    [fs, 'open'],
    [fs, 'statSync'],
    [fs, 'existsSync'],
    [fs, 'writeFileSync'],
    [fs, 'createWriteStream'],
    [fsp, 'readFile'],
    [fsp, 'open'],
    [fsp, 'writeFile'],
  ] as const;
  let spies: jest.SpyInstance[] = [];
  beforeEach(() => {
    spies = watched.map(([module, name]) => jest.spyOn(module as unknown as Record<string, (...args: unknown[]) => unknown>, name));
  });
  afterEach(() => spies.forEach((spy) => spy.mockRestore()));
  const pathsTouched = () => spies.flatMap((spy) => spy.mock.calls.map((args) => String(args[0])));

  it.each([
    '/__sandbox/files/..%2F..%2Fpackage.json',
    '/__sandbox/files/%2e%2e%2f%2e%2e%2fopenapi.yaml',
    '/__sandbox/files/..%5C..%5Cpackage.json',
    '/__sandbox/files/%2Fetc%2Fpasswd',
    '/__sandbox/dashboard/..%2F..%2F..%2Fpackage.json',
    '/__sandbox/dashboard/%2e%2e%2fdashboard.ts',
    '/__sandbox/dashboard/constructor',
  ])('answers GET %s with a 404 envelope and opens no file', async (path) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(404);
    expectToMatchSchema(res.body, 'ErrorResponse');
    expect(JSON.stringify(res.body)).not.toMatch(/"name":\s*"image-edits-sandbox"|root:/);
    expect(pathsTouched()).toEqual([]);
  });

  it.each([
    '/__sandbox/files/img-AAAAAAAAAAAAAAAAAAAAAAAA.png',
    `/__sandbox/files/img-AAAAAAAAAAAAAAAAAAAAAAAA.png?expires=99999999999&signature=${'A'.repeat(43)}`,
  ])('answers GET %s (unsigned, or signed by someone else) with a 403 envelope and opens no file', async (path) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(403);
    expectToMatchSpec(res, '/__sandbox/files/{name}', 'get');
    expect(res.body.error.code).toBe('invalid_url_signature');
    expect(pathsTouched()).toEqual([]);
  });

  it('does see a whitelisted file being read (the watch itself works)', async () => {
    const res = await request(app).get('/__sandbox/dashboard/dashboard.css');
    expect(res.status).toBe(200);
    expect(pathsTouched().some((p) => p.endsWith('dashboard.css'))).toBe(true);
  });

  it('keeps an upload named ../../etc/passwd in memory only', async () => {
    const res = await request(app)
      .post(EDITS)
      .set('Authorization', `Bearer ${TEST_KEY}`)
      .field('model', 'dall-e-2')
      .field('size', '256x256')
      .field('response_format', 'url')
      .field('prompt', 'add a rose')
      .attach('image', fixture('scene-rgba-256.png'), { filename: '../../../../etc/passwd', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body.data[0].url).not.toMatch(/passwd|\.\./);
    expect(pathsTouched().filter((p) => /passwd|\.\./.test(p))).toEqual([]);
    const writes = watched.map(([, name], i) => ({ name, calls: spies[i]!.mock.calls.length })).filter((w) => /write/i.test(w.name) && w.calls > 0);
    expect(writes).toEqual([]);
  });
});

describe('the journal never keeps a secret', () => {
  const { app } = testApp({ adminToken: ADMIN_TOKEN });

  it('records requests without their API key or the admin token', async () => {
    const ok = await postEdit(app, DALLE_URL, RGBA);
    expect(ok.status).toBe(200);
    const bad = await postEdit(app, { prompt: '' }, RGBA, 'sk-proj-a-very-secret-key-9876');
    expect(bad.status).toBe(400);
    const list = await request(app).get('/__sandbox/requests').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(list.status).toBe(200);
    expectToMatchSpec(list, '/__sandbox/requests', 'get');
    expect(list.body.data.length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(TEST_KEY);
    expect(text).not.toContain('a-very-secret-key');
    expect(text).not.toContain(ADMIN_TOKEN);
  });

});
