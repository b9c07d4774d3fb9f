/**
 * `data[].url`s are signed: served as returned, refused (403) when any part was changed, and
 * 404 once expired. The probes: health (liveness) and ready (readiness) beside it.
 */
import request from 'supertest';
import { createUrlSigner } from '../../server/http/signed-url';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { testApp } from '../helpers/test-sandbox';

const FILES = '/__sandbox/files/{name}';
const SECRET = 'a-shared-secret-0123';

describe('signed data[].url', () => {
  const { app } = testApp({ urlSecret: SECRET });
  let url: URL;
  let other: URL;
  beforeAll(async () => {
    const res = await postEdit(app, { prompt: 'x', model: 'dall-e-2', size: '256x256', n: '2' }, [{ name: 'scene-rgba-256.png' }]);
    expect(res.status).toBe(200);
    [url, other] = res.body.data.map((d: { url: string }) => new URL(d.url));
  });

  it('serves the file as returned, with its expiry and signature in the query', async () => {
    expect(url.searchParams.get('expires')).toMatch(/^\d+$/);
    const res = await request(app).get(url.pathname + url.search);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
  });

  it.each([
    ['without its query', (u: URL) => u.pathname],
    ['with another file’s name', (u: URL) => other.pathname + u.search],
    ['with a later expiry', (u: URL) => `${u.pathname}?expires=${Number(u.searchParams.get('expires')) + 3600}&signature=${u.searchParams.get('signature')}`],
    ['with a changed signature', (u: URL) => `${u.pathname}?expires=${u.searchParams.get('expires')}&signature=${'A'.repeat(43)}`],
  ])('refuses it %s with a 403 envelope', async (_what, change) => {
    const res = await request(app).get(change(url));
    expect(res.status).toBe(403);
    expectToMatchSpec(res, FILES, 'get');
    expect(res.body.error.code).toBe('invalid_url_signature');
  });

  it('answers 404 for a correctly signed url whose expiry has passed, though the file is still kept', async () => {
    const name = url.pathname.split('/').pop()!;
    const expired = createUrlSigner(SECRET).sign(name, Date.now() - 1_000);
    const res = await request(app).get(`${url.pathname}?${expired}`);
    expect(res.status).toBe(404);
    expectToMatchSpec(res, FILES, 'get');
    expect(res.body.error.code).toBe('file_not_found');
  });
});

describe('probes', () => {
  const { app } = testApp();

  it('GET /__sandbox/health is liveness: 200 while the process runs', async () => {
    const res = await request(app).get('/__sandbox/health');
    expect(res.status).toBe(200);
    expectToMatchSpec(res, '/__sandbox/health', 'get');
  });

  it('GET /__sandbox/ready is readiness: 200 with the backend it serves from', async () => {
    const res = await request(app).get('/__sandbox/ready');
    expect(res.status).toBe(200);
    expectToMatchSpec(res, '/__sandbox/ready', 'get');
    expect(res.body).toEqual({ status: 'ready', backend: 'memory' });
  });

  it('answers 503 state_unavailable from ready when the backend cannot serve', async () => {
    const { app: down, stores } = testApp();
    const { errors } = await import('../../server/errors/catalogue');
    jest.spyOn(stores.state, 'ready').mockRejectedValue(errors.stateUnavailable('not connected to Redis; reconnecting'));
    const res = await request(down).get('/__sandbox/ready');
    expect(res.status).toBe(503);
    expectToMatchSpec(res, '/__sandbox/ready', 'get');
    expect(res.body.error.code).toBe('state_unavailable');
    expect((await request(down).get('/__sandbox/health')).status).toBe(200);
  });
});
