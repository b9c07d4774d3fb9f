/**
 * SANDBOX_ADMIN_TOKEN locks /__sandbox/*: health and the `data[].url` files stay open (probes
 * and clients use them), everything else needs `Authorization: Bearer <token>`.
 */
import request from 'supertest';
import { pathAndQuery, postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { testApp } from '../helpers/test-sandbox';

const TOKEN = 'admin-0123456789';

const locked = [
  { method: 'get', path: '/__sandbox/requests', spec: '/__sandbox/requests' },
  { method: 'delete', path: '/__sandbox/requests', spec: '/__sandbox/requests' },
  { method: 'get', path: '/__sandbox/requests/req_00000000000000000000000000000000', spec: '/__sandbox/requests/{id}' },
  { method: 'get', path: '/__sandbox/scenarios', spec: '/__sandbox/scenarios' },
  { method: 'post', path: '/__sandbox/scenarios', spec: '/__sandbox/scenarios' },
  { method: 'delete', path: '/__sandbox/scenarios', spec: '/__sandbox/scenarios' },
  { method: 'post', path: '/__sandbox/reset', spec: '/__sandbox/reset' },
  { method: 'get', path: '/__sandbox/openapi.yaml', spec: '/__sandbox/openapi.yaml' },
] as const;

describe('SANDBOX_ADMIN_TOKEN', () => {
  const { app } = testApp({ adminToken: TOKEN });

  it.each(locked)('$method $path without the token is a 401 envelope', async ({ method, path, spec }) => {
    const res = await request(app)[method](path);
    expectToMatchSpec(res, spec, method);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'invalid_admin_token' });
  });

  it.each([
    { authorization: `Bearer ${TOKEN}x` },
    { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
    { authorization: `Basic ${TOKEN}` },
    { authorization: TOKEN },
  ])('a wrong token ($authorization) is refused', async ({ authorization }) => {
    const res = await request(app).get('/__sandbox/requests').set('authorization', authorization);
    expect(res.status).toBe(401);
  });

  it('the right token opens every control', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const listed = await request(app).get('/__sandbox/requests').set(auth);
    expectToMatchSpec(listed, '/__sandbox/requests', 'get');
    expect(listed.status).toBe(200);
    expect((await request(app).post('/__sandbox/scenarios').set(auth).send({ scenario: 'rate_limit' })).status).toBe(201);
    expect((await request(app).delete('/__sandbox/scenarios').set(auth)).status).toBe(200);
    expect((await request(app).get('/__sandbox/openapi.yaml').set(auth)).status).toBe(200);
  });

  it('health stays open', async () => {
    const res = await request(app).get('/__sandbox/health');
    expectToMatchSpec(res, '/__sandbox/health', 'get');
    expect(res.status).toBe(200);
  });

  it('data[].url files stay open, since clients fetch them', async () => {
    const edit = await postEdit(app, { prompt: 'a cat', model: 'dall-e-2', size: '256x256' }, [{ name: 'scene-rgba-256.png' }]);
    expect(edit.status).toBe(200);
    const res = await request(app).get(pathAndQuery(edit.body.data[0].url));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
  });

  it('does not change how /v1 authenticates', async () => {
    expect((await postEdit(app, { prompt: 'a cat', model: 'dall-e-2', size: '256x256' }, [{ name: 'scene-rgba-256.png' }], TOKEN)).status).toBe(200);
  });

  // That it is off by default, and the default bind, are config.test.ts's.
  it('leaves the controls open when no token is set', async () => {
    const open = testApp().app;
    expect((await request(open).get('/__sandbox/requests')).status).toBe(200);
  });
});
