/**
 * Failure scenarios: `x-sandbox-scenario` per request, and armed through
 * `/__sandbox/scenarios` for the next N (matching) requests.
 */
import request from 'supertest';
import { postEdit } from '../helpers/edit-request';
import { expectEventToMatchSpec, expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { readJsonEvents } from '../helpers/read-sse';
import { TEST_KEY, testApp } from '../helpers/test-sandbox';
import { SCENARIO_NAMES } from '../../server/scenarios/scenario-outcomes';
import { testContract } from '../helpers/expect-to-match-spec';

const EDIT = '/v1/images/edits';
const fields = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' };

const scenarios = [
  { scenario: 'rate_limit', status: 429, type: 'requests', param: null, code: 'rate_limit_exceeded', text: 'Rate limit reached for gpt-image-1' },
  { scenario: 'insufficient_quota', status: 429, type: 'insufficient_quota', param: null, code: 'insufficient_quota', text: 'You exceeded your current quota, please check your plan and billing details.' },
  { scenario: 'server_error', status: 500, type: 'server_error', param: null, code: null, text: 'The server had an error while processing your request. Sorry about that!' },
  { scenario: 'overloaded', status: 503, type: 'server_error', param: null, code: null, text: 'The engine is currently overloaded, please try again later' },
  { scenario: 'moderation_blocked', status: 400, type: 'image_generation_user_error', param: null, code: 'moderation_blocked', text: 'Your request was rejected by the safety system.' },
  { scenario: 'invalid_api_key', status: 401, type: 'invalid_request_error', param: null, code: 'invalid_api_key', text: 'Incorrect API key provided: sk-test-************cdef.' },
  { scenario: 'org_not_verified', status: 403, type: 'invalid_request_error', param: null, code: null, text: 'Your organization must be verified to use the model `gpt-image-1`.' },
  { scenario: 'mismatched_organization', status: 401, type: 'invalid_request_error', param: null, code: 'mismatched_organization', text: 'OpenAI-Organization header should match organization for API key' },
] as const;

describe('x-sandbox-scenario on one request', () => {
  const { app } = testApp();

  it.each(scenarios)('$scenario answers $status with type $type, param $param and code $code', async ({ scenario, status, type, param, code, text }) => {
    const res = await postEdit(app, fields).set('x-sandbox-scenario', scenario);
    expectToMatchSpec(res, EDIT);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ message: expect.stringContaining(text), type, param, code });
    expect(JSON.stringify(res.body)).not.toContain(TEST_KEY);
  });

  it('rate_limit sends retry-after of a second or less and the x-ratelimit-* headers', async () => {
    const res = await postEdit(app, fields).set('x-sandbox-scenario', 'rate_limit');
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(1);
    expect(Number(res.headers['retry-after-ms'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after-ms'])).toBeLessThanOrEqual(1000);
    for (const name of ['limit-requests', 'remaining-requests', 'reset-requests', 'limit-tokens', 'remaining-tokens', 'reset-tokens'])
      expect(res.headers[`x-ratelimit-${name}`]).toEqual(expect.any(String));
  });

  it('moderation_blocked quotes the request id and carries moderation_details, as the live body does', async () => {
    const res = await postEdit(app, fields).set('x-sandbox-scenario', 'moderation_blocked');
    expectToMatchSpec(res, EDIT);
    expect(res.body.error).toEqual({
      message: `Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID ${res.headers['x-request-id']}.`,
      type: 'image_generation_user_error',
      param: null,
      code: 'moderation_blocked',
      moderation_details: { moderation_stage: 'input', categories: ['other'] },
    });
    // The keys in the live order: moderation_details after code.
    expect(Object.keys(res.body.error)).toEqual(['message', 'type', 'param', 'code', 'moderation_details']);
  });

  it('stream_error ends a stream with a server_error event after its first event, and leaves a JSON answer as it is', async () => {
    const streamed = await postEdit(app, { ...fields, stream: 'true', partial_images: 2 }).set('x-sandbox-scenario', 'stream_error');
    expect([streamed.status, streamed.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/event-stream/)]);
    const events = readJsonEvents(streamed.text);
    for (const e of events) expectEventToMatchSpec(e, EDIT);
    expect(events.map((e) => e.event)).toEqual(['image_edit.partial_image', 'error']);
    expect(events[1]!.data).toEqual({ type: 'error', error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } });
    const plain = await postEdit(app, fields).set('x-sandbox-scenario', 'stream_error');
    expectToMatchSpec(plain, EDIT);
    expect(plain.status).toBe(200);
  });

  it('an unknown scenario is a 400 that names every known one', async () => {
    const res = await postEdit(app, fields).set('x-sandbox-scenario', 'meteor_strike');
    expectToMatchSpec(res, EDIT);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'scenario', code: 'unknown_scenario' });
    for (const name of SCENARIO_NAMES) expect(res.body.error.message).toContain(`'${name}'`);
  });

  it('a request without the header is answered normally', async () => {
    const res = await postEdit(app, fields);
    expectToMatchSpec(res, EDIT);
    expect(res.status).toBe(200);
  });

  it('the scenario names in openapi.yaml are the ones the sandbox knows', () => {
    const schema = (testContract().document.components as { schemas: Record<string, { enum?: string[] }> }).schemas.ScenarioName;
    expect(schema?.enum).toEqual([...SCENARIO_NAMES]);
  });
});

describe('armed scenarios', () => {
  const { app } = testApp();
  afterEach(() => request(app).delete('/__sandbox/scenarios'));

  const arm = (body: object) => request(app).post('/__sandbox/scenarios').send(body);

  it('fail the next N edit requests, then requests succeed again', async () => {
    const armed = await arm({ scenario: 'server_error', times: 2 });
    expectToMatchSpec(armed, '/__sandbox/scenarios', 'post');
    expect(armed.status).toBe(201);
    expect(armed.body).toMatchObject({ scenario: 'server_error', times: 2, remaining: 2, match: null });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postEdit(app, fields)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('are listed with what remains, with every known name, and disarmed by DELETE', async () => {
    await arm({ scenario: 'rate_limit', times: 3 });
    await postEdit(app, fields);
    const listed = await request(app).get('/__sandbox/scenarios');
    expectToMatchSpec(listed, '/__sandbox/scenarios', 'get');
    expect(listed.body.data).toEqual([expect.objectContaining({ scenario: 'rate_limit', times: 3, remaining: 2 })]);
    expect(listed.body.scenarios).toEqual([...SCENARIO_NAMES]);
    const cleared = await request(app).delete('/__sandbox/scenarios');
    expectToMatchSpec(cleared, '/__sandbox/scenarios', 'delete');
    expect(cleared.body).toEqual({ deleted: 1 });
    expect((await postEdit(app, fields)).status).toBe(200);
  });

  it('with match.model only fail requests for that model', async () => {
    await arm({ scenario: 'insufficient_quota', times: 1, match: { model: 'gpt-image-1-mini' } });
    expect((await postEdit(app, fields)).status).toBe(200);
    const res = await postEdit(app, { ...fields, model: 'gpt-image-1-mini' });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('insufficient_quota');
  });

  it('with match.prompt only fail requests whose prompt contains the text', async () => {
    await arm({ scenario: 'moderation_blocked', match: { prompt: 'forbidden' } });
    expect((await postEdit(app, fields)).status).toBe(200);
    expect((await postEdit(app, { ...fields, prompt: 'a forbidden fruit' })).status).toBe(400);
    expect((await postEdit(app, { ...fields, prompt: 'a forbidden fruit' })).status).toBe(200);
  });

  it('give way to the per-request header, which does not use them up', async () => {
    await arm({ scenario: 'overloaded' });
    expect((await postEdit(app, fields).set('x-sandbox-scenario', 'rate_limit')).status).toBe(429);
    expect((await postEdit(app, fields)).status).toBe(503);
  });

  it.each([
    { body: {}, status: 400, type: 'invalid_request_error', param: 'scenario', code: 'missing_required_parameter' },
    { body: { scenario: 'meteor_strike' }, status: 400, type: 'invalid_request_error', param: 'scenario', code: 'unknown_scenario' },
    { body: { scenario: 'rate_limit', times: 0 }, status: 400, type: 'invalid_request_error', param: 'times', code: 'invalid_value' },
    { body: { scenario: 'rate_limit', times: 1.5 }, status: 400, type: 'invalid_request_error', param: 'times', code: 'invalid_value' },
    { body: { scenario: 'rate_limit', times: '2' }, status: 400, type: 'invalid_request_error', param: 'times', code: 'invalid_value' },
    { body: { scenario: 'rate_limit', match: { colour: 'red' } }, status: 400, type: 'invalid_request_error', param: 'colour', code: 'unknown_parameter' },
    { body: { scenario: 'rate_limit', match: { prompt: '' } }, status: 400, type: 'invalid_request_error', param: 'match.prompt', code: 'invalid_value' },
    { body: { scenario: 'rate_limit', forever: true }, status: 400, type: 'invalid_request_error', param: 'forever', code: 'unknown_parameter' },
  ])('arming with $body is rejected with $status $code on $param', async ({ body, status, type, param, code }) => {
    const res = await arm(body);
    expectToMatchSpec(res, '/__sandbox/scenarios', 'post');
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ type, param, code });
    expect((await request(app).get('/__sandbox/scenarios')).body.data).toEqual([]);
  });

  it('a body that is not JSON is the malformed-JSON 400', async () => {
    const res = await request(app).post('/__sandbox/scenarios').set('content-type', 'application/json').send('{"scenario":');
    expectToMatchSpec(res, '/__sandbox/scenarios', 'post');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('are used by requests that would fail validation too, as the live API checks limits first', async () => {
    await arm({ scenario: 'rate_limit' });
    const res = await postEdit(app, { ...fields, size: '7x7' });
    expect(res.status).toBe(429);
  });

  it('never reach a request that is rejected for its key', async () => {
    const keyed = testApp({ apiKeys: [TEST_KEY] }).app;
    await request(keyed).post('/__sandbox/scenarios').send({ scenario: 'overloaded' });
    expect((await postEdit(keyed, fields, undefined, 'sk-wrong-key-000000000')).status).toBe(401);
    expect((await postEdit(keyed, fields)).status).toBe(503);
  });
});

describe('control request bodies over 16 KB', () => {
  const { app } = testApp();

  it.each([
    { method: 'post', path: '/__sandbox/scenarios' },
    { method: 'patch', path: '/__sandbox/settings' },
    { method: 'post', path: '/__sandbox/requests/verify' },
  ] as const)('$method $path answers 413 request_too_large naming the 16 KB bound, with no advice about images', async ({ method, path }) => {
    const res = await request(app)[method](path).set('content-type', 'application/json').send(JSON.stringify({ scenario: 'x'.repeat(20 * 1024) }));
    expect(res.status).toBe(413);
    expectToMatchSpec(res, path, method);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'request_too_large' });
    expect(res.body.error.message).toContain('at most 16 KB (16384 bytes)');
    expect(res.body.error.message).not.toMatch(/MB|image|multipart/);
  });
});
