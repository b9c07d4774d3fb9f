import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { testApp } from '../helpers/test-sandbox';
import request from 'supertest';

const EDITS = '/v1/images/edits';
const MISSING_KEY = /^You didn't provide an API key\. You need to provide your API key in an Authorization header using Bearer auth/;
const fields = { prompt: 'x', model: 'gpt-image-1', quality: 'low' };

describe('Bearer authentication', () => {
  const { app } = testApp();

  it.each([
    ['no Authorization header', undefined],
    ['a Basic header naming a user', `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['a Basic header with a blank password', `Basic ${Buffer.from(':').toString('base64')}`],
    ['Bearer without a key', 'Bearer '],
    ['a bare key', 'sk-test'],
  ])('answers %s with the live 401', async (_what, header) => {
    let req = request(app).post(EDITS).field('prompt', 'x');
    if (header !== undefined) req = req.set('Authorization', header);
    const res = await req;
    expect(res.status).toBe(401);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
    expect(res.body.error.message).toMatch(MISSING_KEY);
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('checks the key before reading the body', async () => {
    const res = await request(app).post(EDITS).set('content-type', 'multipart/form-data; boundary=x').send('garbage');
    expect(res.status).toBe(401);
  });

  it('accepts any Bearer key when SANDBOX_API_KEYS is empty', async () => {
    const res = await postEdit(app, fields, undefined, 'anything-at-all');
    expect(res.status).toBe(200);
  });

  it("accepts the key as a Basic password with a blank username, as the live 401 text offers", async () => {
    const res = await request(app)
      .post(EDITS)
      .set('Authorization', `Basic ${Buffer.from(':sk-from-a-browser').toString('base64')}`)
      .field('model', 'gpt-image-1')
      .field('prompt', 'x')
      .field('quality', 'low')
      .attach('image', fixture('scene-512.png'), { filename: 'scene.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
  });
});

describe('SANDBOX_API_KEYS restricts the accepted keys', () => {
  const { app } = testApp({ apiKeys: ['sk-proj-allowed-key-0001', 'sk-second'] });

  it('accepts a listed key', async () => {
    expect((await postEdit(app, fields, undefined, 'sk-second')).status).toBe(200);
  });

  it('checks a Basic password against the list like a Bearer key', async () => {
    const basic = (key: string) => `Basic ${Buffer.from(`:${key}`).toString('base64')}`;
    const refused = await request(app).post(EDITS).set('Authorization', basic('sk-not-listed-1234')).field('prompt', 'x');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_api_key');
    const listed = await request(app).post(EDITS).set('Authorization', basic('sk-second')).field('prompt', 'x');
    expect(listed.status).toBe(400); // past auth: the missing image is the first problem
    expect(listed.body.error.param).toBe('image');
  });

  it('answers another key with invalid_api_key, masking it as the live API does', async () => {
    const res = await postEdit(app, fields, undefined, 'sk-proj-abcdefghijklmnopqrstwxyz');
    expect(res.status).toBe(401);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toEqual({
      message: 'Incorrect API key provided: sk-proj-********************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });
  });
});
