/**
 * Namespaces over HTTP: a request's namespace comes from `x-sandbox-namespace` (or its key in
 * api-key mode); control calls act on the caller's namespace (header or `?namespace=`);
 * journals, armed scenarios, settings and resets never cross; verification names the closest
 * requests when an expectation fails.
 */
import request from 'supertest';
import { namespaceForApiKey } from '../../server/stores/namespace';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { TEST_KEY, testApp } from '../helpers/test-sandbox';

const EDIT = { model: 'gpt-image-1', prompt: 'a red rose', quality: 'low', size: '1024x1024' };
const ns = (name: string) => ({ 'x-sandbox-namespace': name });

describe('namespaces', () => {
  it('record each request in its own namespace, list one with the header or ?namespace=, and all with *', async () => {
    const { app } = testApp();
    await postEdit(app, { ...EDIT, prompt: 'for w1' }).set(ns('w1'));
    await postEdit(app, { ...EDIT, prompt: 'for w2' }).set(ns('w2'));
    await postEdit(app, { ...EDIT, prompt: 'for nobody' });
    const prompts = async (req: request.Test) => {
      const res = await req;
      expectToMatchSpec(res, '/__sandbox/requests', 'get');
      return res.body.data.map((e: { fields: { prompt: string }; namespace: string }) => `${e.namespace}:${e.fields.prompt}`);
    };
    expect(await prompts(request(app).get('/__sandbox/requests').set(ns('w1')))).toEqual(['w1:for w1']);
    expect(await prompts(request(app).get('/__sandbox/requests').query({ namespace: 'w2' }))).toEqual(['w2:for w2']);
    expect(await prompts(request(app).get('/__sandbox/requests'))).toEqual(['default:for nobody']);
    expect(await prompts(request(app).get('/__sandbox/requests').query({ namespace: '*' }))).toEqual(['w1:for w1', 'w2:for w2', 'default:for nobody']);
  });

  it('arm scenarios for their own namespace only', async () => {
    const { app } = testApp();
    const armed = await request(app).post('/__sandbox/scenarios').set(ns('w1')).send({ scenario: 'rate_limit', times: 2 });
    expect(armed.status).toBe(201);
    expect((await postEdit(app, EDIT).set(ns('w2'))).status).toBe(200);
    expect((await postEdit(app, EDIT)).status).toBe(200);
    expect((await postEdit(app, EDIT).set(ns('w1'))).status).toBe(429);
    expect((await request(app).get('/__sandbox/scenarios').set(ns('w1'))).body.data[0]).toMatchObject({ remaining: 1 });
    expect((await request(app).get('/__sandbox/scenarios').set(ns('w2'))).body.data).toEqual([]);
  });

  it('reset one namespace and leave the others, or all of them with *', async () => {
    const { app } = testApp();
    for (const name of ['w1', 'w2']) {
      await postEdit(app, EDIT).set(ns(name));
      await request(app).post('/__sandbox/scenarios').set(ns(name)).send({ scenario: 'overloaded' });
    }
    expect((await request(app).post('/__sandbox/reset').set(ns('w1'))).body).toEqual({ reset: true });
    expect((await request(app).get('/__sandbox/requests').set(ns('w1'))).body.data).toEqual([]);
    expect((await request(app).get('/__sandbox/scenarios').set(ns('w1'))).body.data).toEqual([]);
    expect((await request(app).get('/__sandbox/requests').set(ns('w2'))).body.data).toHaveLength(1);
    expect((await request(app).get('/__sandbox/scenarios').set(ns('w2'))).body.data).toHaveLength(1);
    await request(app).post('/__sandbox/reset').query({ namespace: '*' });
    expect((await request(app).get('/__sandbox/requests').query({ namespace: '*' })).body.data).toEqual([]);
  });

  it("take their latency and seed from the namespace's settings, until reset", async () => {
    const { app } = testApp();
    const baseline = await postEdit(app, EDIT).set(ns('plain'));
    const patched = await request(app).patch('/__sandbox/settings').set(ns('seeded')).send({ seed: 'another', latency_ms: 150 });
    expectToMatchSpec(patched, '/__sandbox/settings', 'patch');
    expect(patched.body).toEqual({ namespace: 'seeded', latency_ms: 150, seed: 'another' });
    const started = performance.now();
    const seeded = await postEdit(app, EDIT).set(ns('seeded'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(seeded.body.data[0].b64_json).not.toBe(baseline.body.data[0].b64_json);
    const got = await request(app).get('/__sandbox/settings').set(ns('seeded'));
    expectToMatchSpec(got, '/__sandbox/settings', 'get');
    await request(app).post('/__sandbox/reset').set(ns('seeded'));
    expect((await request(app).get('/__sandbox/settings').set(ns('seeded'))).body).toEqual({ namespace: 'seeded', latency_ms: null, seed: null });
    expect((await postEdit(app, EDIT).set(ns('seeded'))).body.data[0].b64_json).toBe(baseline.body.data[0].b64_json);
  });

  it('are listed by the admin view with their counts', async () => {
    const { app } = testApp();
    await postEdit(app, EDIT).set(ns('w1'));
    await request(app).post('/__sandbox/scenarios').set(ns('w1')).send({ scenario: 'overloaded' });
    const res = await request(app).get('/__sandbox/namespaces');
    expectToMatchSpec(res, '/__sandbox/namespaces', 'get');
    expect(res.body.data.find((n: { name: string }) => n.name === 'w1')).toMatchObject({ requests: 1, armed: 1, last_active_at: expect.any(Number) });
  });

  it('come from the Bearer key with SANDBOX_NAMESPACE_FROM=api-key (the header still wins)', async () => {
    const { app } = testApp({ namespaceFrom: 'api-key' });
    await postEdit(app, EDIT, undefined, 'sk-worker-1');
    await postEdit(app, EDIT, undefined, 'sk-worker-2');
    await postEdit(app, EDIT, undefined, 'sk-worker-2').set(ns('named'));
    const of = async (name: string) => (await request(app).get('/__sandbox/requests').query({ namespace: name })).body.data.length;
    expect([await of(namespaceForApiKey('sk-worker-1')), await of(namespaceForApiKey('sk-worker-2')), await of('named')]).toEqual([1, 1, 1]);
    expect(namespaceForApiKey('sk-worker-1')).toMatch(/^key-[0-9a-f]{16}$/);
    expect(JSON.stringify((await request(app).get('/__sandbox/requests').query({ namespace: '*' })).body)).not.toContain('sk-worker');
  });

  type App = ReturnType<typeof testApp>['app'];
  it.each([
    { where: 'an edit header', send: (app: App) => postEdit(app, EDIT).set(ns('no spaces allowed')), param: 'x-sandbox-namespace', code: 'invalid_sandbox_header', says: "Invalid header 'x-sandbox-namespace'" },
    { where: 'a control header', send: (app: App) => request(app).get('/__sandbox/requests').set(ns('../etc')), param: 'x-sandbox-namespace', code: 'invalid_sandbox_header', says: "Invalid header 'x-sandbox-namespace'" },
    { where: 'a control query', send: (app: App) => request(app).get('/__sandbox/requests').query({ namespace: 'x'.repeat(65) }), param: 'namespace', code: 'invalid_value', says: "Invalid query parameter 'namespace'" },
    { where: 'a settings query', send: (app: App) => request(app).patch('/__sandbox/settings?namespace=../x').send({ seed: 's' }), param: 'namespace', code: 'invalid_value', says: "Invalid query parameter 'namespace': expected 1 to 64 letters" },
    { where: 'a repeated query', send: (app: App) => request(app).get('/__sandbox/requests?namespace=a&namespace=b'), param: 'namespace', code: 'invalid_value', says: "Invalid query parameter 'namespace': expected a single value" },
    { where: '* where one namespace must be named', send: (app: App) => request(app).delete('/__sandbox/scenarios').query({ namespace: '*' }), param: 'namespace', code: 'invalid_value', says: "Invalid 'namespace'" },
  ])('refuse a bad name in $where with a 400 naming $param', async ({ send, param, code, says }) => {
    const { app } = testApp();
    const res = await send(app);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param, code });
    expect(res.body.error.message).toContain(says);
  });
});

describe('POST /__sandbox/requests/verify', () => {
  it('counts the matching requests of the namespace, and names the closest when the expectation fails', async () => {
    const { app } = testApp();
    await postEdit(app, { ...EDIT, prompt: 'a red rose' }).set(ns('v'));
    await postEdit(app, { ...EDIT, prompt: 'a blue bird', size: '7x7' }).set(ns('v'));
    await postEdit(app, { ...EDIT, prompt: 'a red rose' }).set(ns('other'));
    const ok = await request(app).post('/__sandbox/requests/verify').set(ns('v')).send({ where: { prompt: 'rose', status: 200 }, count: 1 });
    expectToMatchSpec(ok, '/__sandbox/requests/verify', 'post');
    expect(ok.body).toMatchObject({ satisfied: true, matched: 1, expected: 'exactly 1', nearest: [] });
    const failed = await request(app).post('/__sandbox/requests/verify').set(ns('v')).send({ where: { prompt: 'bird', status: '2xx', fields: { size: '7x7' } }, at_least: 1 });
    expectToMatchSpec(failed, '/__sandbox/requests/verify', 'post');
    expect(failed.body).toMatchObject({ satisfied: false, matched: 0, expected: 'at least 1' });
    expect(failed.body.nearest[0]).toMatchObject({ missed: ['status'] });
    expect(failed.body.nearest[0].entry.fields.prompt).toBe('a blue bird');
    expect(failed.body.message).toContain('Expected at least 1 request(s) matching status="2xx", prompt="bird", fields.size="7x7", found 0 (of 2 recorded).');
    expect(failed.body.message).toMatch(/Closest requests:\n {2}req_[0-9a-f]{32} 400 gpt-image-1 "a blue bird": missed status/);
  });

  it('refuses an expectation it cannot read', async () => {
    const { app } = testApp();
    const res = await request(app).post('/__sandbox/requests/verify').send({ where: { colour: 'red' } });
    expect(res.status).toBe(400);
    expectToMatchSpec(res, '/__sandbox/requests/verify', 'post');
    expect(res.body.error).toMatchObject({ code: 'unknown_parameter', param: 'colour' });
  });
});

describe('incremental journal reads', () => {
  it('return only what changed since a revision, in-flight requests included', async () => {
    const { app } = testApp({ maxLatencyMs: 5_000 });
    const first = await request(app).get('/__sandbox/requests');
    expect(first.body).toEqual({ data: [], rev: expect.any(Number), removed: [] });
    const held = postEdit(app, EDIT).set('x-sandbox-latency-ms', '800').set('authorization', `Bearer ${TEST_KEY}`).then((r) => r);
    let inFlight: { state: string; status: number; rev: number } | undefined;
    for (let i = 0; i < 50 && !inFlight; i++) {
      await new Promise((r) => setTimeout(r, 20));
      inFlight = (await request(app).get('/__sandbox/requests').query({ since: first.body.rev })).body.data[0];
    }
    expect(inFlight).toMatchObject({ state: 'in_flight', status: 0 });
    expect((await held).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const after = await request(app).get('/__sandbox/requests').query({ since: inFlight!.rev });
    expectToMatchSpec(after, '/__sandbox/requests', 'get');
    expect(after.body.data).toHaveLength(1);
    expect(after.body.data[0]).toMatchObject({ state: 'complete', status: 200 });
    expect((await request(app).get('/__sandbox/requests').query({ since: after.body.rev })).body).toEqual({ data: [], rev: after.body.rev, removed: [] });
  });

  it('report the entries removed since a revision, so a copy kept with `since` drops them', async () => {
    const { app } = testApp();
    const one = await postEdit(app, { prompt: 'one', size: '7x7' }).set('x-sandbox-namespace', 'w1');
    await postEdit(app, { prompt: 'two', size: '7x7' }).set('x-sandbox-namespace', 'w2');
    const before = await request(app).get('/__sandbox/requests').query({ namespace: '*' });
    expect(before.body.removed).toEqual([]);
    await request(app).delete('/__sandbox/requests').query({ namespace: 'w1' });
    const after = await request(app).get('/__sandbox/requests').query({ namespace: '*', since: before.body.rev });
    expectToMatchSpec(after, '/__sandbox/requests', 'get');
    expect(after.body).toEqual({ data: [], rev: expect.any(Number), removed: [one.headers['x-request-id']] });
    expect(after.body.rev).toBeGreaterThan(before.body.rev);
    expect((await request(app).get('/__sandbox/requests').query({ namespace: 'w2', since: before.body.rev })).body.removed).toEqual([]);
  });
});
